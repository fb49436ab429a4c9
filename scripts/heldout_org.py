#!/usr/bin/env python3
"""Generate a synthetic but realistic AWS-organisation monorepo for IAM-linter benchmarks.

Usage: python3 scripts/heldout_org.py OUTDIR --seed N --scale S [--force]

A second generator, written without reading tests/support/synth.rs (the benchmark's own),
so that its layouts are not the ones iamlint was tuned on: per-file policies in five
folder conventions (trust-policy.json, <role>.trust.json, get-role output with extra keys,
bundles of roles, nested environments), 7 MB account dumps with 650 AWS managed policies of
three versions (half URL-encoded), Terraform plans, CLI configs of hundreds of profiles,
CloudFormation, and lock files and other unrelated JSON. BENCHMARKS.md (session 13) says
what it found. Measure a tree it makes with
`IAMLINT_BENCH_TREES=OUTDIR cargo bench --bench scan`.

scale 1.0 -> ~20,000 files / ~100 MB, ~100 accounts, ~11,000 IAM roles.
Stdlib only, deterministic for a given (seed, scale).
"""
import argparse
import base64
import json
import math
import os
import re
import random
import shutil
import sys
import time
from urllib.parse import quote

# --------------------------------------------------------------------------------------
# vocabularies
# --------------------------------------------------------------------------------------
ORG_NAMES = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "tyrell", "soylent",
             "cyberdyne", "wonka", "oscorp", "aperture", "nakatomi", "gringotts", "monarch"]
TEAMS = ["payments", "checkout", "search", "identity", "data-platform", "ml", "analytics", "mobile",
         "web", "platform", "networking", "security", "observability", "billing", "catalog",
         "fulfilment", "marketing", "support", "risk", "ledger", "notifications", "media", "growth",
         "infra", "partners", "loyalty", "pricing", "logistics", "compliance", "devex"]
ENVS = [("prod", 30), ("staging", 20), ("dev", 25), ("qa", 8), ("sandbox", 9), ("perf", 4), ("dr", 4)]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
           "ap-southeast-2", "ap-northeast-1", "ca-central-1", "eu-north-1"]
SVC_WORDS = ["orders", "invoices", "ledger", "search-indexer", "thumbnailer", "notifier", "auth", "profile",
             "catalog", "pricing", "inventory", "shipping", "recommendations", "etl", "reporting", "billing",
             "webhooks", "scheduler", "audit", "exporter", "ingest", "stream-processor", "feature-store",
             "cdn-purge", "backup", "cost-reporter", "metrics", "log-shipper", "image-resizer", "pdf-render",
             "email-sender", "sms-gateway", "fraud-check", "kyc", "payouts", "settlement", "cart", "checkout",
             "gateway", "graphql", "admin-portal", "cms", "transcode", "geo", "tax", "quotes", "claims",
             "sessions", "ratings", "reviews", "coupons", "subscriptions", "refunds", "chargebacks", "kafka-bridge",
             "warehouse-sync", "crm-sync", "events", "personalisation", "ab-testing", "sitemap", "seo"]
BUCKET_PURPOSE = ["artifacts", "logs", "data-lake", "exports", "uploads", "backups", "static-assets", "reports",
                  "raw-events", "curated", "athena-results", "terraform-state", "config", "media", "archive"]
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "nia",
         "oscar", "peggy", "rupert", "sybil", "trent", "ursula", "victor", "wendy", "xena", "yusuf", "zoe",
         "amir", "bea", "chen", "dmitri", "elif", "farah", "goran", "hana", "igor", "jonas", "kemi", "lars",
         "mei", "nikhil", "olga", "priya", "quinn", "rosa", "sanjay", "tomas", "uma", "vera", "wei", "yara"]
LAST = ["smith", "jones", "garcia", "muller", "rossi", "tanaka", "kowalski", "nguyen", "okafor", "silva",
        "novak", "ivanova", "dubois", "haddad", "larsen", "obrien", "patel", "kim", "cohen", "schmidt",
        "moreau", "fischer", "andersen", "costa", "yilmaz", "sato", "walsh", "reyes", "bauer", "eriksen"]
LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip "
         "ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla "
         "pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim "
         "id est laborum").split()
LANGS = ["en", "en-GB", "de", "fr", "es", "it", "nl", "pt-BR", "ja", "ko", "zh-CN", "pl", "sv", "da", "fi", "tr"]
NPM_WORDS = ["react", "redux", "lodash", "axios", "express", "jest", "babel", "webpack", "eslint", "prettier",
             "typescript", "rollup", "vite", "chalk", "debug", "ms", "uuid", "semver", "glob", "minimatch",
             "yargs", "commander", "tslib", "rxjs", "zod", "ajv", "dotenv", "cors", "helmet", "pino", "winston",
             "moment", "dayjs", "date-fns", "graphql", "apollo", "node-fetch", "form-data", "mime", "qs",
             "postcss", "autoprefixer", "sass", "core-js", "regenerator", "source-map", "acorn", "esbuild",
             "picomatch", "micromatch", "fast-glob", "anymatch", "chokidar", "readdirp", "braces", "fill-range",
             "is-number", "to-regex", "kind-of", "define-property", "has-flag", "supports-color", "color-convert",
             "ansi-styles", "strip-ansi", "string-width", "wrap-ansi", "cliui", "y18n", "escalade", "signal-exit"]
NPM_SCOPES = ["@babel", "@types", "@aws-sdk", "@smithy", "@jest", "@typescript-eslint", "@nestjs", "@tanstack",
              "@emotion", "@mui", "@testing-library", "@octokit", "@sentry", "@opentelemetry", "@rollup"]

UD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def wchoice(rng, pairs):
    tot = sum(w for _, w in pairs)
    x = rng.random() * tot
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def rid(rng, prefix, n=17):
    return prefix + "".join(rng.choice(UD) for _ in range(n))


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[rng.randrange(4)], h[17:20], h[20:])


def rdate(rng, y0=2016, y1=2024, tz="+00:00"):
    return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28),
                                                 rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), tz)


def camel(s):
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_/ .:*]+", s) if p)


def sentence(rng, a=4, b=12):
    w = [rng.choice(LOREM) for _ in range(rng.randint(a, b))]
    return (" ".join(w)).capitalize() + "."


# --------------------------------------------------------------------------------------
# output writer
# --------------------------------------------------------------------------------------
class Writer:
    def __init__(self, root):
        self.root = root
        self.files = 0
        self.bytes = 0
        self.cat_files = {}
        self.cat_bytes = {}
        self._dirs = {}
        self._paths = {}

    def write(self, rel, text, cat):
        if rel in self._paths:
            raise RuntimeError("duplicate path " + rel)
        self._paths[rel] = 1
        p = os.path.join(self.root, rel)
        d = os.path.dirname(p)
        if d not in self._dirs:
            os.makedirs(d, exist_ok=True)
            self._dirs[d] = 1
        data = text.encode("utf-8")
        with open(p, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)
        self.cat_files[cat] = self.cat_files.get(cat, 0) + 1
        self.cat_bytes[cat] = self.cat_bytes.get(cat, 0) + len(data)
        return len(data)

    def exists(self, rel):
        return rel in self._paths

    def json(self, rel, obj, cat, indent=2, nl=True):
        s = json.dumps(obj, indent=indent, ensure_ascii=False) if indent else json.dumps(obj, separators=(",", ":"))
        return self.write(rel, s + ("\n" if nl else ""), cat)


# --------------------------------------------------------------------------------------
# minimal YAML emitter (CloudFormation short-form tags supported)
# --------------------------------------------------------------------------------------
class Tag:
    __slots__ = ("name", "value")

    def __init__(self, name, value):
        self.name = name
        self.value = value


PLAIN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_./*:@-]*$")
YAML_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def y_scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if PLAIN_RE.match(s) and s.lower() not in YAML_RESERVED and not s.endswith(":"):
        return s
    return json.dumps(s)


def y_emit(obj, ind=0):
    out = []
    pad = " " * ind
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = y_scalar(k)
            if isinstance(v, Tag):
                if isinstance(v.value, list):
                    out.append("%s%s: !%s" % (pad, key, v.name))
                    out.extend(y_emit(v.value, ind + 2))
                else:
                    out.append("%s%s: !%s %s" % (pad, key, v.name, y_scalar(v.value)))
            elif isinstance(v, (dict, list)) and v:
                out.append("%s%s:" % (pad, key))
                out.extend(y_emit(v, ind + 2))
            elif isinstance(v, dict):
                out.append("%s%s: {}" % (pad, key))
            elif isinstance(v, list):
                out.append("%s%s: []" % (pad, key))
            elif isinstance(v, str) and "\n" in v:
                out.append("%s%s: |" % (pad, key))
                for line in v.rstrip("\n").split("\n"):
                    out.append(pad + "  " + line if line else "")
            else:
                out.append("%s%s: %s" % (pad, key, y_scalar(v)))
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, (dict, list)) and v:
                sub = y_emit(v, ind + 2)
                sub[0] = pad + "- " + sub[0][ind + 2:]
                out.extend(sub)
            elif isinstance(v, Tag):
                if isinstance(v.value, list):
                    out.append("%s- !%s" % (pad, v.name))
                    out.extend(y_emit(v.value, ind + 2))
                else:
                    out.append("%s- !%s %s" % (pad, v.name, y_scalar(v.value)))
            else:
                out.append("%s- %s" % (pad, y_scalar(v)))
    return out


def to_yaml(obj, header=""):
    return header + "\n".join(y_emit(obj)) + "\n"


# --------------------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------------------
class Account:
    def __init__(self, name, aid, ou, team, env):
        self.name = name
        self.id = aid
        self.ou = ou
        self.team = team
        self.env = env
        self.layout = None
        self.is_hub = False
        self.role_specs = []       # (name, kind, path)
        self.role_names = {}
        self.n_roles = 0
        self.region = None
        self.indent = 2
        self.managed = []          # customer managed policy names
        self.oidc_eks_id = None

    @property
    def dirname(self):
        return "%s-%s" % (self.name, self.id)

    def arn(self, kind, name):
        return "arn:aws:iam::%s:%s/%s" % (self.id, kind, name)


class Ctx:
    pass


# --------------------------------------------------------------------------------------
# identity policy statements
# --------------------------------------------------------------------------------------
def _bucket(rng, c, a):
    b = "%s-%s-%s-%s" % (c.org, a.team, rng.choice(BUCKET_PURPOSE), a.env)
    if rng.random() < 0.3:
        b += "-" + a.id
    if rng.random() < 0.15:
        b += "-" + rng.choice(REGIONS)
    return b


def _other_acct(rng, c, a):
    if rng.random() < 0.7:
        return a
    return rng.choice(c.accounts)


def res_s3(rng, c, a, region):
    out = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        b = _bucket(rng, c, a)
        r = rng.random()
        if r < 0.4:
            out += ["arn:aws:s3:::" + b, "arn:aws:s3:::%s/*" % b]
        elif r < 0.8:
            out.append("arn:aws:s3:::%s/%s/*" % (b, rng.choice(SVC_WORDS)))
        else:
            out.append("arn:aws:s3:::%s/%s/${aws:PrincipalTag/team}/*" % (b, rng.choice(["tenants", "home", "teams"])))
    return out


def res_kms(rng, c, a, region):
    out = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        o = _other_acct(rng, c, a)
        if rng.random() < 0.8:
            out.append("arn:aws:kms:%s:%s:key/%s" % (rng.choice([region, region, rng.choice(REGIONS)]), o.id, uuid4(rng)))
        else:
            out.append("arn:aws:kms:%s:%s:alias/%s-%s" % (region, o.id, a.team, rng.choice(SVC_WORDS)))
    return out


def res_star(rng, c, a, region):
    return ["*"]


def _arn_fn(svc, fmt):
    def f(rng, c, a, region):
        out = []
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            o = _other_acct(rng, c, a) if svc in ("sqs", "sns", "events") else a
            name = "%s-%s" % (rng.choice(SVC_WORDS), a.env)
            if rng.random() < 0.1:
                name = "%s-*" % rng.choice(SVC_WORDS)
            out.append(fmt.format(r=region, a=o.id, n=name, u=uuid4(rng)[:8], team=a.team,
                                  h=rid(rng, "", 6).lower(), H=rid(rng, "", 13)))
        return out
    return f


def res_passrole(rng, c, a, region):
    names = [n for n, _k, _p in a.role_specs] or ["app"]
    out = [a.arn("role", rng.choice(names)) for _ in range(rng.choice([1, 1, 2, 3]))]
    if rng.random() < 0.2:
        out.append("arn:aws:iam::%s:role/service-role/*" % a.id)
    return out


def res_assume(rng, c, a, region):
    out = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        o = rng.choice(c.accounts)
        names = [n for n, _k, _p in o.role_specs] or ["deployer"]
        out.append(o.arn("role", rng.choice(names)))
    if rng.random() < 0.15:
        out.append("arn:aws:iam::*:role/%s-*" % rng.choice(["deployer", "readonly", "cross-account", a.team]))
    return out


SERVICES = {
    "s3": (["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetObjectVersion", "s3:PutObjectAcl", "s3:AbortMultipartUpload", "s3:ListBucketMultipartUploads",
            "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:ListBucketVersions", "s3:GetBucketPolicy",
            "s3:Get*", "s3:List*", "s3:RestoreObject", "s3:ReplicateObject"], res_s3),
    "kms": (["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:DescribeKey",
             "kms:ReEncrypt*", "kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext", "kms:ListGrants"], res_kms),
    "ec2": (["ec2:Describe*", "ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
             "ec2:DescribeVpcs", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
             "ec2:DescribeNetworkInterfaces", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
             "ec2:CreateTags", "ec2:DescribeImages", "ec2:DescribeTags", "ec2:DescribeRegions"], res_star),
    "dynamodb": (["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                  "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
                  "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem", "dynamodb:DescribeStream",
                  "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
                 _arn_fn("dynamodb", "arn:aws:dynamodb:{r}:{a}:table/{n}")),
    "dynamodb-index": (["dynamodb:Query", "dynamodb:Scan"],
                       _arn_fn("dynamodb", "arn:aws:dynamodb:{r}:{a}:table/{n}/index/*")),
    "sqs": (["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
             "sqs:GetQueueUrl", "sqs:ChangeMessageVisibility", "sqs:SendMessageBatch", "sqs:DeleteMessageBatch"],
            _arn_fn("sqs", "arn:aws:sqs:{r}:{a}:{n}")),
    "sns": (["sns:Publish", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes"],
            _arn_fn("sns", "arn:aws:sns:{r}:{a}:{n}-topic")),
    "logs": (["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams",
              "logs:DescribeLogGroups", "logs:PutRetentionPolicy"],
             _arn_fn("logs", "arn:aws:logs:{r}:{a}:log-group:/aws/lambda/{n}:*")),
    "cloudwatch": (["cloudwatch:PutMetricData", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics",
                    "cloudwatch:GetMetricStatistics", "cloudwatch:DescribeAlarms"], res_star),
    "secretsmanager": (["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
                        "secretsmanager:ListSecretVersionIds"],
                       _arn_fn("secretsmanager", "arn:aws:secretsmanager:{r}:{a}:secret:{team}/{n}-{h}")),
    "ssm": (["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:DescribeParameters"],
            _arn_fn("ssm", "arn:aws:ssm:{r}:{a}:parameter/{team}/{n}/*")),
    "ecr": (["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
             "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
             "ecr:DescribeImages", "ecr:DescribeRepositories"],
            _arn_fn("ecr", "arn:aws:ecr:{r}:{a}:repository/{team}/{n}")),
    "ecr-auth": (["ecr:GetAuthorizationToken"], res_star),
    "lambda": (["lambda:InvokeFunction", "lambda:GetFunction", "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion", "lambda:UpdateAlias",
                "lambda:GetFunctionConfiguration"],
               _arn_fn("lambda", "arn:aws:lambda:{r}:{a}:function:{n}")),
    "sts": (["sts:AssumeRole"], res_assume),
    "iam-pass": (["iam:PassRole"], res_passrole),
    "iam-read": (["iam:GetRole", "iam:ListRoles", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
                  "iam:GetPolicyVersion", "iam:ListRolePolicies", "iam:GetRolePolicy"], res_star),
    "states": (["states:StartExecution", "states:DescribeExecution", "states:StopExecution",
                "states:ListExecutions"], _arn_fn("states", "arn:aws:states:{r}:{a}:stateMachine:{n}")),
    "events": (["events:PutEvents", "events:PutRule", "events:PutTargets", "events:DescribeRule"],
               _arn_fn("events", "arn:aws:events:{r}:{a}:event-bus/{n}")),
    "kinesis": (["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:GetRecords", "kinesis:GetShardIterator",
                 "kinesis:DescribeStream", "kinesis:ListShards", "kinesis:DescribeStreamSummary"],
                _arn_fn("kinesis", "arn:aws:kinesis:{r}:{a}:stream/{n}")),
    "firehose": (["firehose:PutRecord", "firehose:PutRecordBatch"],
                 _arn_fn("firehose", "arn:aws:firehose:{r}:{a}:deliverystream/{n}")),
    "glue": (["glue:GetTable", "glue:GetTables", "glue:GetDatabase", "glue:GetPartitions", "glue:BatchCreatePartition",
              "glue:UpdateTable", "glue:GetDatabases"],
             _arn_fn("glue", "arn:aws:glue:{r}:{a}:table/{team}_db/{n}")),
    "athena": (["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
                "athena:StopQueryExecution", "athena:GetWorkGroup"],
               _arn_fn("athena", "arn:aws:athena:{r}:{a}:workgroup/{team}")),
    "cloudformation": (["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DescribeStacks",
                        "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
                        "cloudformation:DescribeChangeSet", "cloudformation:DeleteChangeSet",
                        "cloudformation:GetTemplate"],
                       _arn_fn("cloudformation", "arn:aws:cloudformation:{r}:{a}:stack/{n}/*")),
    "rds-db": (["rds-db:connect"], _arn_fn("rds", "arn:aws:rds-db:{r}:{a}:dbuser:db-{h}/{n}")),
    "rds": (["rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:CreateDBSnapshot",
             "rds:DescribeDBSnapshots"], _arn_fn("rds", "arn:aws:rds:{r}:{a}:db:{n}")),
    "elb": (["elasticloadbalancing:Describe*", "elasticloadbalancing:RegisterTargets",
             "elasticloadbalancing:DeregisterTargets"], res_star),
    "route53": (["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone"],
                _arn_fn("route53", "arn:aws:route53:::hostedzone/Z{H}")),
    "cloudfront": (["cloudfront:CreateInvalidation", "cloudfront:GetDistribution",
                    "cloudfront:GetInvalidation"], _arn_fn("cloudfront", "arn:aws:cloudfront::{a}:distribution/E{H}")),
    "xray": (["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
              "xray:GetSamplingTargets"], res_star),
    "es": (["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpHead"],
           _arn_fn("es", "arn:aws:es:{r}:{a}:domain/{n}/*")),
    "execute-api": (["execute-api:Invoke", "execute-api:ManageConnections"],
                    _arn_fn("apigw", "arn:aws:execute-api:{r}:{a}:{h}/*/POST/{n}")),
    "codebuild": (["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"],
                  _arn_fn("codebuild", "arn:aws:codebuild:{r}:{a}:project/{n}")),
    "sagemaker": (["sagemaker:InvokeEndpoint", "sagemaker:DescribeEndpoint", "sagemaker:CreateTrainingJob",
                   "sagemaker:DescribeTrainingJob"], _arn_fn("sagemaker", "arn:aws:sagemaker:{r}:{a}:endpoint/{n}")),
    "autoscaling": (["autoscaling:Describe*", "autoscaling:SetDesiredCapacity",
                     "autoscaling:UpdateAutoScalingGroup"], res_star),
    "acm": (["acm:DescribeCertificate", "acm:ListCertificates", "acm:GetCertificate"], res_star),
}
SERVICE_KEYS = list(SERVICES.keys())


def make_condition(rng, c, a, svc, region, effect):
    r = rng.random()
    if effect == "Deny":
        return wchoice(rng, [
            ({"Bool": {"aws:SecureTransport": "false"}}, 3),
            ({"StringNotEquals": {"aws:RequestedRegion": sorted(rng.sample(REGIONS, rng.randint(1, 3)))}}, 3),
            ({"StringNotEquals": {"aws:PrincipalOrgID": c.org_id}}, 2),
            ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, 2),
            ({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}, 1),
        ])
    if r < 0.08 and svc == "kms":
        return {"StringEquals": {"kms:ViaService": ["s3.%s.amazonaws.com" % region,
                                                    "secretsmanager.%s.amazonaws.com" % region][:rng.randint(1, 2)]}}
    if r < 0.14 and svc == "s3":
        return {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}
    if svc == "iam-pass":
        return {"StringEquals": {"iam:PassedToService": rng.choice(["lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
                                                                   "states.amazonaws.com", "glue.amazonaws.com"])}}
    return wchoice(rng, [
        ({"StringEquals": {"aws:RequestedRegion": sorted(rng.sample(REGIONS, rng.randint(1, 3)))}}, 3),
        ({"StringEquals": {"aws:ResourceTag/team": a.team}}, 3),
        ({"StringEquals": {"aws:PrincipalOrgID": c.org_id}}, 3),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, 2),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": str(rng.choice([3600, 7200, 43200]))}}, 1),
        ({"IpAddress": {"aws:SourceIp": ["10.%d.0.0/16" % rng.randint(0, 255), "203.0.113.%d/32" % rng.randint(1, 254)]}}, 1),
        ({"StringEquals": {"aws:SourceVpce": "vpce-%s" % ("%017x" % rng.getrandbits(68))}}, 1),
        ({"StringEquals": {"aws:ResourceAccount": [a.id]}}, 2),
        ({"StringEquals": {"aws:SourceAccount": a.id}}, 1),
        ({"ForAnyValue:StringLike": {"aws:TagKeys": ["team", "cost-center", "env"]}}, 1),
        ({"DateGreaterThan": {"aws:CurrentTime": "%d-01-01T00:00:00Z" % rng.randint(2020, 2024)}}, 1),
        ({"StringEqualsIfExists": {"aws:RequestTag/env": a.env}}, 1),
        ({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::%s:role/%s-*" % (a.id, a.team)}}, 1),
    ])


def make_stmt(rng, c, a, svc, region, idx):
    acts, resf = SERVICES[svc]
    effect = "Deny" if rng.random() < 0.07 else "Allow"
    k = min(len(acts), max(1, int(rng.expovariate(1 / 3.5)) + 1))
    actions = rng.sample(acts, k)
    st = {}
    if rng.random() < 0.65:
        st["Sid"] = "%s%s%d" % (camel(svc), effect, idx)
    st["Effect"] = effect
    if effect == "Deny" and rng.random() < 0.25:
        st["NotAction"] = actions
    else:
        st["Action"] = actions[0] if (k == 1 and rng.random() < 0.6) else actions
    res = resf(rng, c, a, region)
    if effect == "Deny" and rng.random() < 0.5:
        res = ["*"]
    st["Resource"] = res[0] if (len(res) == 1 and rng.random() < 0.7) else res
    if rng.random() < (0.6 if effect == "Deny" else 0.22):
        st["Condition"] = make_condition(rng, c, a, svc, region, effect)
    return st


def identity_policy(rng, c, a, services, target):
    region = a.region if rng.random() < 0.8 else rng.choice(REGIONS)
    stmts = []
    size = 70
    while size < target and len(stmts) < 60:
        svc = rng.choice(services) if (services and rng.random() < 0.85) else rng.choice(SERVICE_KEYS)
        st = make_stmt(rng, c, a, svc, region, len(stmts) + 1)
        stmts.append(st)
        size += int(len(json.dumps(st)) * 1.45) + 10
    doc = {"Version": "2012-10-17", "Statement": stmts}
    r = rng.random()
    if r < 0.02:
        doc = {"Version": "2008-10-17", "Statement": stmts}
    elif r < 0.05:
        doc = {"Version": "2012-10-17", "Id": "%s-%s" % (a.team, uuid4(rng)[:8]), "Statement": stmts}
    elif r < 0.07 and len(stmts) == 1:
        doc = {"Version": "2012-10-17", "Statement": stmts[0]}
    return doc


TOPIC_SERVICES = {
    "data": ["s3", "dynamodb", "dynamodb-index", "glue", "athena", "kms"], "deploy": ["cloudformation", "iam-pass", "s3", "lambda", "ecr"],
    "s3": ["s3", "kms"], "kms": ["kms"], "queue": ["sqs", "sns", "kms"], "secrets": ["secretsmanager", "ssm", "kms"],
    "observability": ["logs", "cloudwatch", "xray"], "streaming": ["kinesis", "firehose", "kms"],
    "network": ["ec2", "elb", "route53"], "ml": ["sagemaker", "s3", "ecr"],
}
CM_KEYWORDS = [("s3-access", ["s3", "kms"]), ("kms-decrypt", ["kms"]), ("read-secrets", ["secretsmanager", "kms", "ssm"]),
               ("ecr-push", ["ecr", "ecr-auth"]), ("logs-write", ["logs", "cloudwatch"]),
               ("dynamodb-rw", ["dynamodb", "dynamodb-index", "kms"]), ("athena-query", ["athena", "glue", "s3"]),
               ("ci-deploy", ["cloudformation", "iam-pass", "s3", "lambda", "ecr", "ecr-auth"])]


def policy_target(rng):
    return int(min(10000, max(700, rng.lognormvariate(math.log(2400), 0.65))))


# --------------------------------------------------------------------------------------
# trust policies
# --------------------------------------------------------------------------------------
SERVICE_PRINCIPALS = {
    "lambda": "lambda.amazonaws.com", "ecs": "ecs-tasks.amazonaws.com", "ec2": "ec2.amazonaws.com",
    "states": "states.amazonaws.com", "events": "events.amazonaws.com", "glue": "glue.amazonaws.com",
    "codebuild": "codebuild.amazonaws.com", "firehose": "firehose.amazonaws.com",
    "sagemaker": "sagemaker.amazonaws.com", "apigateway": "apigateway.amazonaws.com",
    "backup": "backup.amazonaws.com", "datasync": "datasync.amazonaws.com",
    "codepipeline": "codepipeline.amazonaws.com", "scheduler": "scheduler.amazonaws.com",
    "rds": "monitoring.rds.amazonaws.com", "edgelambda": "edgelambda.amazonaws.com",
}


def _stmt(rng, principal, action, cond=None, sid=None):
    st = {}
    if sid and rng.random() < 0.6:
        st["Sid"] = sid
    st["Effect"] = "Allow"
    st["Principal"] = principal
    st["Action"] = action
    if cond:
        st["Condition"] = cond
    return st


def trust_policy(rng, c, a, kind, role_name):
    hub = c.hub
    H = hub.id
    st = []
    aa = "sts:AssumeRole"
    if kind in SERVICE_PRINCIPALS:
        svc = SERVICE_PRINCIPALS[kind]
        pr = {"Service": svc}
        if kind == "edgelambda":
            pr = {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}
        elif rng.random() < 0.08:
            pr = {"Service": [svc, rng.choice(list(SERVICE_PRINCIPALS.values()))]}
        cond = None
        r = rng.random()
        if r < 0.18:
            cond = {"StringEquals": {"aws:SourceAccount": a.id}}
        elif r < 0.28:
            cond = {"ArnLike": {"aws:SourceArn": "arn:aws:%s:%s:%s:*" % (kind if kind != "ecs" else "ecs", a.region, a.id)}}
        elif r < 0.33:
            cond = {"StringEquals": {"aws:SourceAccount": a.id},
                    "ArnLike": {"aws:SourceArn": "arn:aws:%s:%s:%s:*" % (kind, a.region, a.id)}}
        st.append(_stmt(rng, pr, aa if rng.random() < 0.9 else [aa, "sts:TagSession"], cond, "TrustService"))
    elif kind == "gha":
        repo = role_name.replace("gha-", "")
        subs = ["repo:%s/%s:ref:refs/heads/main" % (c.gh_org, repo)]
        r = rng.random()
        op = "StringLike"
        if r < 0.3:
            subs = "repo:%s/%s:*" % (c.gh_org, repo)
        elif r < 0.5:
            subs = ["repo:%s/%s:environment:%s" % (c.gh_org, repo, a.env),
                    "repo:%s/%s:ref:refs/tags/v*" % (c.gh_org, repo)]
        elif r < 0.6:
            subs = "repo:%s/*" % c.gh_org
        elif r < 0.75:
            op = "StringEquals"
        cond = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
        if op == "StringEquals":
            cond["StringEquals"]["token.actions.githubusercontent.com:sub"] = subs
        else:
            cond[op] = {"token.actions.githubusercontent.com:sub": subs}
        if rng.random() < 0.04:
            cond = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
        st.append(_stmt(rng, {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % a.id},
                        "sts:AssumeRoleWithWebIdentity", cond, "GithubOidc"))
    elif kind == "eks":
        prov = "oidc.eks.%s.amazonaws.com/id/%s" % (a.region, a.oidc_eks_id)
        parts = role_name[5:].split("-", 1)
        ns, sa = (parts[0], parts[1]) if len(parts) == 2 else ("default", "app")
        op = "StringEquals" if rng.random() < 0.7 else "StringLike"
        subv = "system:serviceaccount:%s:%s" % (ns, sa if op == "StringEquals" else "*")
        cond = {op: {prov + ":sub": subv}}
        if rng.random() < 0.6:
            cond.setdefault("StringEquals", {})[prov + ":aud"] = "sts.amazonaws.com"
        st.append(_stmt(rng, {"Federated": "arn:aws:iam::%s:oidc-provider/%s" % (a.id, prov)},
                        "sts:AssumeRoleWithWebIdentity", cond, "EksIrsa"))
    elif kind == "saml":
        cond = {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
        st.append(_stmt(rng, {"Federated": "arn:aws:iam::%s:saml-provider/%s" % (a.id, c.saml_name)},
                        ["sts:AssumeRoleWithSAML", "sts:TagSession"] if rng.random() < 0.3 else "sts:AssumeRoleWithSAML",
                        cond, "SamlFederation"))
    elif kind == "vendor":
        vname, vid = rng.choice(c.vendors)
        st.append(_stmt(rng, {"AWS": "arn:aws:iam::%s:root" % vid}, aa,
                        {"StringEquals": {"sts:ExternalId": "%s-%s" % (c.org, uuid4(rng))}}, "ThirdParty" + camel(vname)))
    elif kind == "org-mgmt":
        st.append(_stmt(rng, {"AWS": "arn:aws:iam::%s:root" % c.mgmt.id}, aa))
    elif kind == "hub-root":
        cond = None
        r = rng.random()
        if r < 0.3:
            cond = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        elif r < 0.45:
            cond = {"StringEquals": {"aws:PrincipalOrgID": c.org_id}}
        elif r < 0.6:
            cond = {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::%s:role/%s" % (H, rng.choice(["deployer-*", "ci-*", "sso-*", "*"]))}}
        elif r < 0.65:
            cond = {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}
        st.append(_stmt(rng, {"AWS": "arn:aws:iam::%s:root" % H}, aa, cond, "TrustHubAccount"))
    elif kind == "hub-bare":
        cond = {"Bool": {"aws:MultiFactorAuthPresent": "true"}} if rng.random() < 0.3 else None
        pr = {"AWS": H} if rng.random() < 0.8 else {"AWS": [H]}
        st.append(_stmt(rng, pr, aa, cond, "TrustHub"))
    elif kind == "hub-role":
        roles = ["deployer-%s" % a.name]
        if rng.random() < 0.5:
            roles += rng.sample(c.hub_generic_roles, rng.randint(1, 3))
        arns = [hub.arn("role", r) for r in roles]
        if rng.random() < 0.1:
            arns.append("arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s/AWSReservedSSO_PlatformAdmin_%s"
                        % (H, c.sso_region, "%016x" % rng.getrandbits(64)))
        pr = {"AWS": arns[0] if len(arns) == 1 and rng.random() < 0.5 else arns}
        cond = {"StringEquals": {"sts:ExternalId": "%s-%s" % (a.name, rid(rng, "", 8).lower())}} if rng.random() < 0.1 else None
        st.append(_stmt(rng, pr, [aa, "sts:TagSession"] if rng.random() < 0.3 else aa, cond, "TrustHubRoles"))
    elif kind == "hub-user":
        users = rng.sample(c.hub_users, rng.randint(1, 6))
        pr = {"AWS": [hub.arn("user", u) for u in users]}
        st.append(_stmt(rng, pr, aa, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}, "TrustHubUsers"))
    elif kind == "cross":
        others = rng.sample(c.accounts, rng.randint(1, 3))
        arns = []
        for o in others:
            if rng.random() < 0.5 or not o.role_specs:
                arns.append("arn:aws:iam::%s:root" % o.id)
            else:
                arns.append(o.arn("role", rng.choice(o.role_specs)[0]))
        pr = {"AWS": arns if len(arns) > 1 else arns[0]}
        cond = {"StringEquals": {"aws:PrincipalOrgID": c.org_id}} if rng.random() < 0.3 else None
        st.append(_stmt(rng, pr, aa, cond, "CrossAccount"))
    elif kind == "org-star":
        st.append(_stmt(rng, {"AWS": "*"} if rng.random() < 0.6 else "*", aa,
                        {"StringEquals": {"aws:PrincipalOrgID": c.org_id},
                         "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/%s" % rng.choice(["deployer-*", "ci-*", "monitoring-*"])}},
                        "OrgWide"))
    elif kind == "same-acct":
        st.append(_stmt(rng, {"AWS": "arn:aws:iam::%s:root" % a.id}, aa, None, "SameAccount"))
    else:
        raise ValueError(kind)
    # occasional multi-statement trust: add a second principal block
    if rng.random() < 0.2:
        extra = rng.choice(["hub-root", "gha", "same-acct", "ec2"]) if kind != "hub-root" else "same-acct"
        if extra == "gha":
            st.append(_stmt(rng, {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % a.id},
                            "sts:AssumeRoleWithWebIdentity",
                            {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                             "StringLike": {"token.actions.githubusercontent.com:sub": "repo:%s/%s:*" % (c.gh_org, rng.choice(SVC_WORDS))}},
                            "GithubOidc"))
        else:
            st.extend(trust_policy(rng, c, a, extra, role_name)["Statement"])
    return {"Version": "2012-10-17", "Statement": st}


# --------------------------------------------------------------------------------------
# roles
# --------------------------------------------------------------------------------------
KIND_WEIGHTS = [("lambda", 18), ("ecs", 10), ("ec2", 5), ("gha", 9), ("eks", 5), ("hub-root", 14), ("hub-bare", 6),
                ("hub-role", 8), ("hub-user", 3), ("cross", 6), ("vendor", 3), ("saml", 3), ("states", 3),
                ("events", 2), ("glue", 2), ("codebuild", 2), ("firehose", 1), ("sagemaker", 1), ("apigateway", 1),
                ("backup", 1), ("datasync", 0.5), ("codepipeline", 1), ("scheduler", 1), ("rds", 0.5),
                ("edgelambda", 0.5), ("org-star", 0.7), ("same-acct", 2)]

KIND_SERVICES = {
    "lambda": ["logs", "dynamodb", "sqs", "s3", "kms", "secretsmanager", "ssm", "xray", "sns", "events"],
    "ecs": ["logs", "s3", "dynamodb", "sqs", "secretsmanager", "ssm", "kms", "ecr", "ecr-auth", "xray"],
    "ec2": ["s3", "ssm", "logs", "cloudwatch", "ec2", "kms", "autoscaling"],
    "gha": ["s3", "ecr", "ecr-auth", "lambda", "cloudformation", "iam-pass", "cloudfront", "ssm", "sts"],
    "eks": ["s3", "dynamodb", "sqs", "secretsmanager", "kms", "es", "route53", "elb", "ec2"],
    "states": ["lambda", "states", "sqs", "sns", "glue", "athena"],
    "glue": ["s3", "glue", "kms", "logs", "athena"],
    "codebuild": ["s3", "logs", "ecr", "ecr-auth", "codebuild", "ssm", "iam-pass"],
    "firehose": ["s3", "kms", "kinesis", "logs", "glue"],
    "sagemaker": ["s3", "sagemaker", "ecr", "logs", "kms"],
}
MANAGED_FOR_KIND = {
    "lambda": ["service-role/AWSLambdaBasicExecutionRole", "service-role/AWSLambdaVPCAccessExecutionRole",
               "AWSXRayDaemonWriteAccess", "service-role/AWSLambdaSQSQueueExecutionRole"],
    "ecs": ["service-role/AmazonECSTaskExecutionRolePolicy", "CloudWatchAgentServerPolicy"],
    "ec2": ["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy", "AmazonEC2ContainerRegistryReadOnly"],
    "glue": ["service-role/AWSGlueServiceRole"],
    "backup": ["service-role/AWSBackupServiceRolePolicyForBackup", "service-role/AWSBackupServiceRolePolicyForRestores"],
    "rds": ["service-role/AmazonRDSEnhancedMonitoringRole"],
    "hub-root": ["ReadOnlyAccess", "job-function/ViewOnlyAccess", "PowerUserAccess"],
    "hub-bare": ["ReadOnlyAccess"],
    "vendor": ["SecurityAudit", "job-function/ViewOnlyAccess"],
    "saml": ["ReadOnlyAccess", "job-function/Billing", "PowerUserAccess"],
    "sagemaker": ["AmazonSageMakerFullAccess"],
    "codebuild": ["AWSCodeBuildDeveloperAccess"],
}

STANDARD_ROLES = [
    ("OrganizationAccountAccessRole", "org-mgmt", "/", ["AdministratorAccess"]),
    ("deployer", "hub-role", "/", []),
    ("readonly", "hub-root", "/", ["ReadOnlyAccess"]),
    ("admin", "hub-root", "/", ["AdministratorAccess"]),
    ("break-glass", "hub-user", "/emergency/", ["AdministratorAccess"]),
    ("terraform-apply", "hub-role", "/automation/", ["PowerUserAccess"]),
    ("security-audit", "hub-root", "/security/", ["SecurityAudit", "job-function/ViewOnlyAccess"]),
    ("github-actions-deploy", "gha", "/ci/", []),
    ("monitoring-readonly", "vendor", "/integrations/", ["job-function/ViewOnlyAccess"]),
]


def gen_role_specs(rng, c, a, n):
    specs = []
    names = a.role_names
    std = [s for s in STANDARD_ROLES if s[0] in ("OrganizationAccountAccessRole", "deployer", "readonly") or rng.random() < 0.65]
    for nm, kind, path, _m in std:
        specs.append((nm, kind, path))
        names[nm] = kind
    guard = 0
    while len(specs) < n and guard < n * 20:
        guard += 1
        kind = wchoice(rng, KIND_WEIGHTS)
        svc = rng.choice(SVC_WORDS)
        path = "/"
        if kind == "lambda":
            nm = rng.choice(["%s-lambda-exec", "lambda-%s", "%s-fn-role", "%s-" + a.env + "-lambda"]) % svc
            path = rng.choice(["/", "/", "/service-role/", "/lambda/"])
        elif kind == "ecs":
            nm = rng.choice(["ecs-task-%s", "%s-task-role", "%s-ecs-" + a.env]) % svc
            path = rng.choice(["/", "/ecs/"])
        elif kind == "ec2":
            nm = rng.choice(["%s-instance-role", "ec2-%s", "%s-asg-node"]) % svc
        elif kind == "gha":
            nm = "gha-%s" % rng.choice([svc, svc + "-infra", a.team + "-" + svc, svc + "-web"])
            path = rng.choice(["/", "/ci/", "/github/"])
        elif kind == "eks":
            nm = "irsa-%s-%s" % (rng.choice([svc, "kube-system", "monitoring", a.team]),
                                 rng.choice(["external-dns", "cluster-autoscaler", "app", svc, "fluent-bit", "karpenter"]))
            path = "/eks/"
        elif kind in ("hub-root", "hub-bare", "hub-role", "hub-user"):
            nm = rng.choice(["%s-%s-%s" % (a.team, svc, a.env), "%s-operator" % svc, "%s-readonly" % svc,
                             "%s-support" % a.team, "%s-developer" % a.team, "%s-oncall" % svc, "%s-data-access" % svc])
            path = rng.choice(["/", "/", "/people/", "/cross-account/"])
        elif kind == "cross":
            nm = rng.choice(["cross-account-%s", "%s-consumer", "%s-replication", "%s-shared-access"]) % svc
            path = rng.choice(["/", "/cross-account/"])
        elif kind == "vendor":
            nm = "vendor-%s-integration" % rng.choice(c.vendors)[0]
            path = "/integrations/"
        elif kind == "saml":
            nm = rng.choice(["saml-%s", "okta-%s", "federated-%s"]) % rng.choice(
                [a.team, "admins", "developers", "readonly", "billing", "support", "data-analysts"])
            path = "/federated/"
        elif kind == "org-star":
            nm = rng.choice(["org-%s-reader", "org-wide-%s"]) % svc
        elif kind == "same-acct":
            nm = rng.choice(["%s-assumable", "%s-elevated", "%s-batch"]) % svc
        else:
            nm = rng.choice(["%s-" + kind + "-role", kind + "-%s", "%s-" + kind]) % svc
            path = rng.choice(["/", "/service-role/"])
        if len(nm) > 64:
            nm = nm[:64]
        if nm in names:
            nm2 = "%s-%d" % (nm[:60], rng.randint(2, 99))
            if nm2 in names:
                continue
            nm = nm2
        names[nm] = kind
        specs.append((nm, kind, path))
    a.role_specs = specs


class Role:
    __slots__ = ("name", "path", "kind", "trust", "inline", "managed", "desc", "tags", "max_session",
                 "created", "role_id", "arn", "boundary")


def build_role(rng, c, a, name, kind, path, std_managed=None):
    r = Role()
    r.name, r.kind, r.path = name, kind, path
    r.trust = trust_policy(rng, c, a, kind, name)
    x = rng.random()
    n_inline = 0 if x < 0.35 else 1 if x < 0.8 else 2 if x < 0.94 else 3
    if name in ("admin", "OrganizationAccountAccessRole", "break-glass", "readonly"):
        n_inline = 0 if rng.random() < 0.7 else 1
    services = KIND_SERVICES.get(kind, [])
    r.inline = []
    used = {}
    for i in range(n_inline):
        topic = rng.choice(list(TOPIC_SERVICES) + ["runtime", "app", name.split("-")[0]])
        pn = rng.choice(["%s-access", "%s-policy", "inline-%s", "%s-permissions", "allow-%s"]) % topic
        if pn in used:
            pn = "%s-%d" % (pn, i + 1)
        used[pn] = 1
        if name == "deployer" or name == "terraform-apply":
            svcs = ["cloudformation", "iam-pass", "s3", "lambda", "ecr", "ssm", "kms", "iam-read"]
        elif topic in TOPIC_SERVICES:
            svcs = TOPIC_SERVICES[topic]
        else:
            svcs = services
        r.inline.append((pn, identity_policy(rng, c, a, svcs, policy_target(rng))))
    mg = []
    if std_managed is not None:
        mg += ["arn:aws:iam::aws:policy/" + m for m in std_managed]
    else:
        pool = MANAGED_FOR_KIND.get(kind, [])
        for m in pool:
            if rng.random() < 0.45:
                mg.append("arn:aws:iam::aws:policy/" + m)
    if a.managed and rng.random() < 0.35:
        for m in rng.sample(a.managed, min(len(a.managed), rng.randint(1, 2))):
            mg.append("arn:aws:iam::%s:policy/%s" % (a.id, m))
    r.managed = mg
    r.desc = rng.choice(["", "", "Managed by platform team", "Role for %s" % name, sentence(rng, 3, 9),
                         "Assumed by %s" % kind])
    r.tags = [("team", a.team), ("env", a.env)]
    if rng.random() < 0.4:
        r.tags.append(("cost-center", "cc-%04d" % rng.randint(100, 9999)))
    if rng.random() < 0.3:
        r.tags.append(("managed-by", rng.choice(["terraform", "cloudformation", "manual", "cdk"])))
    r.max_session = rng.choice([3600, 3600, 3600, 7200, 14400, 43200])
    r.created = rdate(rng)
    r.role_id = rid(rng, "AROA")
    r.arn = "arn:aws:iam::%s:role%s%s" % (a.id, path, name)
    r.boundary = ("arn:aws:iam::%s:policy/%s" % (a.id, a.managed[0])) if (a.managed and rng.random() < 0.06) else None
    return r


def account_roles(rng, c, a):
    std_m = {s[0]: s[3] for s in STANDARD_ROLES}
    for name, kind, path in a.role_specs:
        yield build_role(rng, c, a, name, kind, path, std_m.get(name) if name in std_m else None)


def merge_docs(docs):
    st = []
    for d in docs:
        s = d["Statement"]
        st.extend(s if isinstance(s, list) else [s])
    return {"Version": "2012-10-17", "Statement": st}


def managed_name(arn):
    return arn.rsplit("/", 1)[1]


def attached(r):
    return [{"PolicyName": managed_name(m), "PolicyArn": m} for m in r.managed]


# --------------------------------------------------------------------------------------
# customer managed policies
# --------------------------------------------------------------------------------------
def gen_customer_managed(rng, c, a, n):
    names = []
    for _ in range(n):
        nm = rng.choice(["%s-s3-access", "%s-kms-decrypt", "deny-outside-regions", "%s-boundary",
                         "developer-boundary", "%s-read-secrets", "%s-ecr-push", "%s-logs-write",
                         "%s-dynamodb-rw", "require-mfa", "%s-athena-query", "%s-ci-deploy"])
        if "%s" in nm:
            nm = nm % rng.choice([a.team, rng.choice(SVC_WORDS)])
        if nm in names:
            continue
        names.append(nm)
    a.managed = names


def customer_doc(rng, c, a, name):
    if name == "deny-outside-regions":
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
            "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*", "route53:*", "budgets:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": sorted(rng.sample(REGIONS, 2))}}}]}
    if name == "require-mfa":
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
            "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                          "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"],
            "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
    svcs = None
    for kw, sv in CM_KEYWORDS:
        if kw in name:
            svcs = sv
            break
    return identity_policy(rng, c, a, svcs or rng.sample(SERVICE_KEYS, 4), policy_target(rng))


# --------------------------------------------------------------------------------------
# layouts
# --------------------------------------------------------------------------------------
def write_custom_managed(rng, c, a, w, style, base):
    docs = [(n, customer_doc(rng, c, a, n)) for n in a.managed]
    ind = a.indent
    if style == "raw":
        for n, d in docs:
            w.json("%s/%s.json" % (base, n), d, "iam", ind)
    elif style == "raw2":
        for n, d in docs:
            w.json("%s/%s.policy.json" % (base, n), d, "iam", ind)
    elif style == "version":
        for n, d in docs:
            v = rng.randint(1, 5)
            w.json("%s/%s.json" % (base, n), {
                "Policy": {"PolicyName": n, "PolicyId": rid(rng, "ANPA"), "Arn": a.arn("policy", n), "Path": "/",
                           "DefaultVersionId": "v%d" % v, "AttachmentCount": rng.randint(0, 30),
                           "IsAttachable": True, "CreateDate": rdate(rng)},
                "PolicyVersion": {"Document": d, "VersionId": "v%d" % v, "IsDefaultVersion": True,
                                  "CreateDate": rdate(rng)}}, "iam", ind)
    elif style == "bundle":
        w.json("%s/policies.json" % base, {"Policies": [
            {"PolicyName": n, "Arn": a.arn("policy", n), "Path": "/", "Document": d} for n, d in docs]}, "iam", ind)


def layout_nested(rng, c, a, w, roles_iter, base=None):
    base = base or "accounts/%s/iam" % a.dirname
    ind = a.indent
    n = 0
    for r in roles_iter:
        rb = "%s/roles/%s" % (base, r.name)
        w.json(rb + "/trust-policy.json", r.trust, "iam", ind)
        for pn, d in r.inline:
            w.json("%s/policies/%s.json" % (rb, pn), d, "iam", ind)
        if r.managed and rng.random() < 0.15:
            w.json(rb + "/attached-policies.json", {"AttachedPolicies": attached(r)}, "iam", ind)
        n += 1
    write_custom_managed(rng, c, a, w, "raw", base + "/policies")
    return n


def layout_flatpair(rng, c, a, w, roles_iter):
    base = "accounts/%s/iam" % a.dirname
    ind = a.indent
    n = 0
    for r in roles_iter:
        w.json("%s/roles/%s.trust.json" % (base, r.name), r.trust, "iam", ind)
        if r.inline:
            w.json("%s/roles/%s.policy.json" % (base, r.name), merge_docs([d for _, d in r.inline]), "iam", ind)
        n += 1
    write_custom_managed(rng, c, a, w, "raw", base + "/managed-policies")
    return n


def getrole_obj(r, tz="+00:00"):
    role = {"Path": r.path, "RoleName": r.name, "RoleId": r.role_id, "Arn": r.arn, "CreateDate": r.created,
            "AssumeRolePolicyDocument": r.trust, "MaxSessionDuration": r.max_session}
    if r.desc:
        role["Description"] = r.desc
    if r.boundary:
        role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": r.boundary}
    role["Tags"] = [{"Key": k, "Value": v} for k, v in r.tags]
    return role


def layout_getrole(rng, c, a, w, roles_iter):
    base = "accounts/%s/iam" % a.dirname
    ind = a.indent
    n = 0
    for r in roles_iter:
        obj = {"Role": getrole_obj(r), "InlinePolicies": {pn: d for pn, d in r.inline},
               "AttachedManagedPolicies": attached(r)}
        w.json("%s/roles/%s.json" % (base, r.name), obj, "iam", ind)
        n += 1
    write_custom_managed(rng, c, a, w, "version", base + "/policies")
    return n


def layout_bundle(rng, c, a, w, roles_iter):
    base = "accounts/%s/iam" % a.dirname
    ind = a.indent
    n = 0
    chunk = []
    chunk_no = [0]
    size_target = rng.randint(8, 25)

    def flush():
        if not chunk:
            return
        chunk_no[0] += 1
        grp = "%02d-%s" % (chunk_no[0], chunk[0]["RoleName"].split("-")[0].lower())
        w.json("%s/roles/%s.json" % (base, grp), {"AccountId": a.id, "Roles": list(chunk)}, "iam", ind)
        chunk.clear()

    for r in roles_iter:
        chunk.append({"RoleName": r.name, "Path": r.path, "Arn": r.arn,
                      "AssumeRolePolicyDocument": r.trust,
                      "RolePolicyList": [{"PolicyName": pn, "PolicyDocument": d} for pn, d in r.inline],
                      "AttachedManagedPolicies": attached(r)})
        n += 1
        if len(chunk) >= size_target:
            flush()
            size_target = rng.randint(8, 25)
    flush()
    write_custom_managed(rng, c, a, w, "bundle", base)
    return n


def layout_envnested(rng, c, a, w, roles_iter):
    base = "accounts/%s/%s/iam" % (a.ou.split("/")[0], a.dirname)
    ind = a.indent
    n = 0
    for r in roles_iter:
        seg = r.path.strip("/") or "_root"
        rb = "%s/%s/%s" % (base, seg, r.name)
        w.json(rb + "/assume-role-policy.json", r.trust, "iam", ind)
        for pn, d in r.inline:
            w.json("%s/inline/%s.json" % (rb, pn), d, "iam", ind)
        if r.managed and rng.random() < 0.25:
            w.json(rb + "/managed.json", r.managed, "iam", ind)
        n += 1
    write_custom_managed(rng, c, a, w, "raw2", base + "/_managed")
    return n


# --------------------------------------------------------------------------------------
# hub account
# --------------------------------------------------------------------------------------
def gen_hub(rng, c, w):
    a = c.hub
    base = "accounts/%s/iam" % a.dirname
    ind = a.indent
    others = [x for x in c.accounts if not x.is_hub]
    # users
    groups = c.hub_groups
    group_members = {g: [] for g, _ in groups}
    for u in c.hub_users:
        gl = rng.sample([g for g, _ in groups], rng.randint(1, 3))
        if u.startswith("svc-") or u.startswith("ci-"):
            gl = ["automation"] if "automation" in group_members else gl[:1]
        for g in gl:
            group_members[g].append(u)
        obj = {"User": {"Path": "/people/" if "." in u else "/service/", "UserName": u, "UserId": rid(rng, "AIDA"),
                        "Arn": a.arn("user", u), "CreateDate": rdate(rng),
                        "Tags": [{"Key": "email", "Value": "%s@%s.example.com" % (u, c.org)}] if "." in u else []},
               "Groups": gl,
               "MFADevices": [{"UserName": u, "SerialNumber": "arn:aws:iam::%s:mfa/%s" % (a.id, u),
                               "EnableDate": rdate(rng)}] if "." in u else [],
               "AttachedPolicies": [{"PolicyName": "IAMUserChangePassword",
                                     "PolicyArn": "arn:aws:iam::aws:policy/IAMUserChangePassword"}] if "." in u else []}
        if rng.random() < 0.15:
            tgt = rng.sample(others, rng.randint(1, 4))
            obj["InlinePolicies"] = [{"PolicyName": "direct-assume", "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "sts:AssumeRole",
                    "Resource": [t.arn("role", rng.choice(t.role_specs)[0]) for t in tgt],
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}}]
        w.json("%s/users/%s.json" % (base, u), obj, "iam", ind)
    # groups
    for g, scope in groups:
        w.json("%s/groups/%s/group.json" % (base, g), {
            "Group": {"Path": "/", "GroupName": g, "GroupId": rid(rng, "AGPA"), "Arn": a.arn("group", g),
                      "CreateDate": rdate(rng)},
            "Users": [{"UserName": u, "Arn": a.arn("user", u)} for u in group_members[g]]}, "iam", ind)
        stmts = []
        mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        if scope == "admin":
            stmts.append({"Sid": "AssumeAdminEverywhere", "Effect": "Allow", "Action": "sts:AssumeRole",
                          "Resource": ["arn:aws:iam::*:role/admin", "arn:aws:iam::*:role/break-glass",
                                       "arn:aws:iam::*:role/OrganizationAccountAccessRole"], "Condition": mfa})
        elif scope == "readonly":
            stmts.append({"Sid": "AssumeReadonly", "Effect": "Allow", "Action": "sts:AssumeRole",
                          "Resource": "arn:aws:iam::*:role/readonly"})
        elif scope == "audit":
            stmts.append({"Effect": "Allow", "Action": "sts:AssumeRole",
                          "Resource": ["arn:aws:iam::*:role/security-audit", "arn:aws:iam::*:role/security/*"]})
        elif scope == "self":
            stmts.append({"Sid": "ManageOwnMFA", "Effect": "Allow",
                          "Action": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
                                     "iam:ListMFADevices", "iam:DeactivateMFADevice"],
                          "Resource": ["arn:aws:iam::%s:mfa/${aws:username}" % a.id,
                                       "arn:aws:iam::%s:user/people/${aws:username}" % a.id]})
            stmts.append({"Sid": "DenyWithoutMFA", "Effect": "Deny",
                          "NotAction": ["iam:*MFA*", "iam:GetUser", "iam:ChangePassword", "sts:GetSessionToken"],
                          "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})
        else:  # team scoped: specific accounts
            tgt = [x for x in others if x.team == scope] or rng.sample(others, 3)
            tgt = tgt + rng.sample(others, min(len(others), rng.randint(1, 6)))
            seen = {}
            res = []
            for t in tgt:
                for rn in ["readonly", "%s-developer" % t.team, rng.choice(t.role_specs)[0]]:
                    arn = t.arn("role", rn)
                    if arn not in seen:
                        seen[arn] = 1
                        res.append(arn)
            stmts.append({"Sid": "AssumeTeamRoles", "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
                          "Resource": res, "Condition": mfa})
            if rng.random() < 0.4:
                stmts.append({"Sid": "AssumeTeamWildcard", "Effect": "Allow", "Action": "sts:AssumeRole",
                              "Resource": "arn:aws:iam::*:role/%s-*" % scope,
                              "Condition": {"StringEquals": {"aws:ResourceOrgID": c.org_id}, **mfa}})
        w.json("%s/groups/%s/policies/assume.json" % (base, g), {"Version": "2012-10-17", "Statement": stmts}, "iam", ind)

    # roles: deployer per account + generic hub roles
    def hub_roles():
        for t in others:
            r = Role()
            r.name = "deployer-%s" % t.name
            r.kind = "hub-deployer"
            r.path = "/deployers/" if rng.random() < 0.3 else "/"
            r.trust = {"Version": "2012-10-17", "Statement": [
                _stmt(rng, {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % a.id},
                      "sts:AssumeRoleWithWebIdentity",
                      {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                       "StringLike": {"token.actions.githubusercontent.com:sub":
                                      ["repo:%s/%s:environment:%s" % (c.gh_org, rng.choice(["infra", "platform", t.team + "-infra"]), t.env),
                                       "repo:%s/deployments:ref:refs/heads/main" % c.gh_org]}}, "GithubDeploy"),
                _stmt(rng, {"AWS": [a.arn("role", "ci-runner"), a.arn("user", rng.choice(c.hub_service_users))]},
                      "sts:AssumeRole", None, "CiRunner")]}
            targets = [t.arn("role", "deployer")]
            if "terraform-apply" in t.role_names:
                targets.append(t.arn("role", "terraform-apply"))
            for nm, kind, _p in rng.sample(t.role_specs, min(len(t.role_specs), rng.randint(0, 4))):
                if kind in ("hub-role", "gha", "same-acct") and t.arn("role", nm) not in targets:
                    targets.append(t.arn("role", nm))
            stmts = [{"Sid": "AssumeDeployTargets", "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
                      "Resource": targets}]
            if rng.random() < 0.25:
                stmts.append({"Sid": "AssumeDeployWildcard", "Effect": "Allow", "Action": "sts:AssumeRole",
                              "Resource": rng.choice(["arn:aws:iam::%s:role/deploy-*" % t.id,
                                                      "arn:aws:iam::*:role/deployer-*",
                                                      "arn:aws:iam::%s:role/*" % t.id])})
            if rng.random() < 0.5:
                stmts.append(make_stmt(rng, c, a, "s3", a.region, 3))
            r.inline = [("assume-%s" % t.name, {"Version": "2012-10-17", "Statement": stmts})]
            r.managed = []
            yield r
        for nm in c.hub_generic_roles:
            r = Role()
            r.name, r.kind, r.path = nm, "hub-generic", "/"
            if nm.startswith("sso-") or nm.startswith("saml-"):
                r.trust = trust_policy(rng, c, a, "saml", nm)
            elif nm == "ci-runner":
                r.trust = trust_policy(rng, c, a, "ec2", nm)
                r.trust["Statement"].append(_stmt(rng, {"AWS": [a.arn("user", u) for u in c.hub_service_users]},
                                                  "sts:AssumeRole"))
            else:
                r.trust = trust_policy(rng, c, a, rng.choice(["same-acct", "hub-user", "gha", "ecs"]), nm)
            stmts = []
            if nm in ("terraform-orchestrator", "ci-runner", "incident-responder", "org-inventory"):
                rn = {"terraform-orchestrator": "terraform-apply", "ci-runner": "deployer-*",
                      "incident-responder": "break-glass", "org-inventory": "readonly"}[nm]
                stmts.append({"Effect": "Allow", "Action": "sts:AssumeRole",
                              "Resource": "arn:aws:iam::*:role/%s" % rn,
                              "Condition": {"StringEquals": {"aws:ResourceOrgID": c.org_id}}})
            tgt = rng.sample(others, min(len(others), rng.randint(2, 12)))
            stmts.append({"Effect": "Allow", "Action": "sts:AssumeRole",
                          "Resource": [t.arn("role", rng.choice(t.role_specs)[0]) for t in tgt]})
            r.inline = [("cross-account", {"Version": "2012-10-17", "Statement": stmts})]
            if rng.random() < 0.5:
                r.inline.append(("runtime", identity_policy(rng, c, a, ["s3", "kms", "logs", "ssm"], policy_target(rng))))
            r.managed = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] if rng.random() < 0.3 else []
            yield r

    n = 0
    for r in hub_roles():
        rb = "%s/roles/%s" % (base, r.name)
        w.json(rb + "/trust-policy.json", r.trust, "iam", ind)
        for pn, d in r.inline:
            w.json("%s/policies/%s.json" % (rb, pn), d, "iam", ind)
        if r.managed:
            w.json(rb + "/attached-policies.json", {"AttachedPolicies": attached(r)}, "iam", ind)
        n += 1
    write_custom_managed(rng, c, a, w, "raw", base + "/policies")
    return n


# --------------------------------------------------------------------------------------
# AWS managed policy catalogue + authorization-details dumps
# --------------------------------------------------------------------------------------
REAL_MANAGED = [
    ("AdministratorAccess", "/"), ("ReadOnlyAccess", "/"), ("PowerUserAccess", "/"), ("SecurityAudit", "/"),
    ("IAMUserChangePassword", "/"), ("IAMFullAccess", "/"), ("IAMReadOnlyAccess", "/"),
    ("AmazonS3FullAccess", "/"), ("AmazonS3ReadOnlyAccess", "/"), ("AmazonEC2FullAccess", "/"),
    ("AmazonEC2ReadOnlyAccess", "/"), ("AmazonDynamoDBFullAccess", "/"), ("AmazonDynamoDBReadOnlyAccess", "/"),
    ("AmazonSSMManagedInstanceCore", "/"), ("CloudWatchAgentServerPolicy", "/"), ("AWSXRayDaemonWriteAccess", "/"),
    ("AmazonEC2ContainerRegistryReadOnly", "/"), ("AmazonEC2ContainerRegistryPowerUser", "/"),
    ("AmazonSageMakerFullAccess", "/"), ("AWSCodeBuildDeveloperAccess", "/"), ("AmazonSQSFullAccess", "/"),
    ("AmazonSNSFullAccess", "/"), ("CloudWatchLogsFullAccess", "/"), ("AWSLambda_FullAccess", "/"),
    ("AWSLambda_ReadOnlyAccess", "/"), ("AmazonRDSFullAccess", "/"), ("AmazonRoute53FullAccess", "/"),
    ("AWSCloudFormationFullAccess", "/"), ("AWSSupportAccess", "/"), ("AWSBillingReadOnlyAccess", "/"),
    ("AWSLambdaBasicExecutionRole", "/service-role/"), ("AWSLambdaVPCAccessExecutionRole", "/service-role/"),
    ("AWSLambdaSQSQueueExecutionRole", "/service-role/"), ("AmazonECSTaskExecutionRolePolicy", "/service-role/"),
    ("AWSGlueServiceRole", "/service-role/"), ("AWSBackupServiceRolePolicyForBackup", "/service-role/"),
    ("AWSBackupServiceRolePolicyForRestores", "/service-role/"), ("AmazonRDSEnhancedMonitoringRole", "/service-role/"),
    ("AWSConfigRole", "/service-role/"), ("AmazonEC2RoleforSSM", "/service-role/"),
    ("AWSCodePipelineServiceRole", "/service-role/"), ("AmazonAPIGatewayPushToCloudWatchLogs", "/service-role/"),
    ("ViewOnlyAccess", "/job-function/"), ("Billing", "/job-function/"), ("DatabaseAdministrator", "/job-function/"),
    ("DataScientist", "/job-function/"), ("NetworkAdministrator", "/job-function/"),
    ("SystemAdministrator", "/job-function/"), ("SupportUser", "/job-function/"),
]
AWS_SVC_NAMES = [("Amazon", "EC2", "ec2"), ("Amazon", "S3", "s3"), ("AWS", "Lambda", "lambda"),
                 ("Amazon", "DynamoDB", "dynamodb"), ("AWS", "Glue", "glue"), ("Amazon", "Athena", "athena"),
                 ("Amazon", "Kinesis", "kinesis"), ("Amazon", "KinesisFirehose", "firehose"), ("Amazon", "SQS", "sqs"),
                 ("Amazon", "SNS", "sns"), ("Amazon", "RDS", "rds"), ("Amazon", "Redshift", "redshift"),
                 ("Amazon", "ElastiCache", "elasticache"), ("Amazon", "ECS", "ecs"), ("Amazon", "EKS", "eks"),
                 ("Amazon", "Route53", "route53"), ("Amazon", "CloudFront", "cloudfront"), ("AWS", "CodeBuild", "codebuild"),
                 ("AWS", "CodePipeline", "codepipeline"), ("AWS", "CodeCommit", "codecommit"), ("AWS", "CodeDeploy", "codedeploy"),
                 ("AWS", "CloudTrail", "cloudtrail"), ("AWS", "Config", "config"), ("Amazon", "GuardDuty", "guardduty"),
                 ("AWS", "SecurityHub", "securityhub"), ("Amazon", "Inspector2", "inspector2"), ("AWS", "KMS", "kms"),
                 ("AWS", "SecretsManager", "secretsmanager"), ("AWS", "SSM", "ssm"), ("Amazon", "SageMaker", "sagemaker"),
                 ("Amazon", "Bedrock", "bedrock"), ("AWS", "StepFunctions", "states"), ("Amazon", "EventBridge", "events"),
                 ("Amazon", "APIGateway", "apigateway"), ("AWS", "AppSync", "appsync"), ("Amazon", "Cognito", "cognito-idp"),
                 ("Amazon", "OpenSearchService", "es"), ("Amazon", "MSK", "kafka"), ("Amazon", "MQ", "mq"),
                 ("AWS", "Backup", "backup"), ("AWS", "DataSync", "datasync"), ("Amazon", "EFS", "elasticfilesystem"),
                 ("Amazon", "FSx", "fsx"), ("AWS", "Batch", "batch"), ("Amazon", "EMR", "elasticmapreduce"),
                 ("Amazon", "QuickSight", "quicksight"), ("AWS", "LakeFormation", "lakeformation"), ("Amazon", "Macie", "macie2"),
                 ("AWS", "WAF", "wafv2"), ("AWS", "Shield", "shield"), ("AWS", "CertificateManager", "acm"),
                 ("Amazon", "Connect", "connect"), ("Amazon", "Pinpoint", "mobiletargeting"), ("Amazon", "SES", "ses"),
                 ("AWS", "IoT", "iot"), ("Amazon", "Timestream", "timestream"), ("Amazon", "Neptune", "neptune-db"),
                 ("Amazon", "DocDB", "docdb-elastic"), ("AWS", "Organizations", "organizations"), ("AWS", "SSO", "sso"),
                 ("Amazon", "Lightsail", "lightsail"), ("AWS", "ElasticBeanstalk", "elasticbeanstalk"),
                 ("Amazon", "WorkSpaces", "workspaces"), ("AWS", "Transfer", "transfer"), ("Amazon", "Textract", "textract"),
                 ("Amazon", "Rekognition", "rekognition"), ("Amazon", "Comprehend", "comprehend"), ("Amazon", "Polly", "polly"),
                 ("Amazon", "Translate", "translate"), ("AWS", "XRay", "xray"), ("Amazon", "CloudWatch", "cloudwatch"),
                 ("AWS", "CloudMap", "servicediscovery"), ("AWS", "AppConfig", "appconfig"), ("AWS", "Amplify", "amplify"),
                 ("AWS", "Proton", "proton"), ("Amazon", "ECR", "ecr"), ("AWS", "ResourceGroups", "resource-groups"),
                 ("AWS", "Budgets", "budgets"), ("AWS", "CostExplorer", "ce"), ("AWS", "HealthLake", "healthlake"),
                 ("Amazon", "Location", "geo"), ("AWS", "GlobalAccelerator", "globalaccelerator"),
                 ("Amazon", "VPCLattice", "vpc-lattice"), ("AWS", "NetworkFirewall", "network-firewall")]
VERBS = ["Describe", "List", "Get", "Create", "Update", "Delete", "Put", "Start", "Stop", "Tag", "Untag", "Batch",
         "Invoke", "Modify", "Enable", "Disable", "Associate", "Disassociate", "Search", "Export", "Import"]
NOUNS = ["Resource", "Configuration", "Policy", "Tags", "Job", "Cluster", "Instance", "Stream", "Table", "Key",
         "Snapshot", "Endpoint", "Pipeline", "Project", "Workflow", "Rule", "Target", "Schema", "Connection",
         "Permission", "Alias", "Version", "Run", "Report", "Finding", "Dataset", "Model", "Domain", "Member"]


def build_aws_managed(rng):
    cat = list(REAL_MANAGED)
    seen = {n for n, _ in cat}
    suffixes = [("FullAccess", "/"), ("ReadOnlyAccess", "/"), ("ServiceRolePolicy", "/aws-service-role/"),
                ("ServiceRole", "/service-role/"), ("ConsoleFullAccess", "/"), ("PowerUser", "/"),
                ("ExecutionRolePolicy", "/service-role/"), ("_FullAccess", "/"), ("_ReadOnlyAccess", "/"),
                ("ManagementPolicy", "/"), ("DeveloperAccess", "/"), ("AdminAccess", "/")]
    combos = [(p + s + suf, path, prefix) for (p, s, prefix) in AWS_SVC_NAMES for suf, path in suffixes]
    rng.shuffle(combos)
    svc_of = {}
    for name, path, prefix in combos:
        if len(cat) >= 650:
            break
        if name in seen:
            continue
        seen.add(name)
        cat.append((name, path))
        svc_of[name] = prefix
    out = []
    for name, path in cat:
        prefix = svc_of.get(name)
        if prefix is None:
            prefix = rng.choice(AWS_SVC_NAMES)[2]
        out.append(make_aws_managed(rng, name, path, prefix))
    return out


def make_aws_managed(rng, name, path, prefix):
    if name == "AdministratorAccess":
        v3 = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    else:
        big = name in ("ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit", "PowerUserAccess", "SupportUser")
        n_st = rng.randint(8, 25) if big else max(1, int(rng.lognormvariate(math.log(2.2), 0.7)))
        v3 = []
        for i in range(n_st):
            svc = prefix if (i == 0 or rng.random() < 0.6) else rng.choice(AWS_SVC_NAMES)[2]
            if "FullAccess" in name and i == 0:
                acts = ["%s:*" % svc]
            else:
                k = rng.randint(15, 120) if big else max(1, int(rng.lognormvariate(math.log(5), 0.9)))
                acts = []
                for _ in range(k):
                    verb = rng.choice(VERBS[:3]) if ("ReadOnly" in name or big) else rng.choice(VERBS)
                    a = "%s:%s%s" % (svc, verb, rng.choice(NOUNS) + rng.choice(["", "s", "*"]))
                    if a not in acts:
                        acts.append(a)
                acts.sort()
            st = {}
            if rng.random() < 0.5:
                st["Sid"] = "%sPermissions%d" % (camel(svc), i)
            st["Effect"] = "Allow"
            st["Action"] = acts if len(acts) > 1 or rng.random() < 0.5 else acts[0]
            if rng.random() < 0.7:
                st["Resource"] = "*"
            else:
                st["Resource"] = ["arn:aws:%s:*:*:%s/*" % (svc, rng.choice(NOUNS).lower()) for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.15:
                st["Condition"] = {"StringEquals": {"iam:PassedToService": "%s.amazonaws.com" % svc}} if rng.random() < 0.5 \
                    else {"StringLike": {"aws:ResourceTag/aws:cloudformation:stack-name": "aws-%s-*" % svc}}
            v3.append(st)

    def shrink(stmts, frac):
        out = []
        for st in stmts:
            st2 = dict(st)
            a = st.get("Action")
            if isinstance(a, list) and len(a) > 2:
                st2["Action"] = a[:max(1, int(len(a) * frac))]
            out.append(st2)
        return out

    docs = [{"Version": "2012-10-17", "Statement": shrink(v3, 0.6)},
            {"Version": "2012-10-17", "Statement": shrink(v3, 0.85)},
            {"Version": "2012-10-17", "Statement": v3}]
    created = rdate(rng, 2015, 2019)
    return {"name": name, "path": path, "id": rid(rng, "ANPAI"), "created": created, "docs": docs,
            "dates": [created, rdate(rng, 2019, 2021), rdate(rng, 2021, 2024)]}


def gen_dump(rng, c, a, w, catalog, encoded):
    def enc(doc):
        if not encoded:
            return doc
        if rng.random() < 0.3:
            s = json.dumps(doc, indent=rng.choice([2, 4]))
        else:
            s = json.dumps(doc, separators=(",", ":"))
        return quote(s, safe="")

    roles = []
    n = 0
    for r in account_roles(rng, c, a):
        ips = []
        if r.kind == "ec2":
            ips.append({"Path": "/", "InstanceProfileName": r.name, "InstanceProfileId": rid(rng, "AIPA"),
                        "Arn": "arn:aws:iam::%s:instance-profile/%s" % (a.id, r.name), "CreateDate": r.created,
                        "Roles": [{"Path": r.path, "RoleName": r.name, "RoleId": r.role_id, "Arn": r.arn,
                                   "CreateDate": r.created, "AssumeRolePolicyDocument": enc(r.trust)}]})
        d = {"Path": r.path, "RoleName": r.name, "RoleId": r.role_id, "Arn": r.arn, "CreateDate": r.created,
             "AssumeRolePolicyDocument": enc(r.trust), "InstanceProfileList": ips,
             "RolePolicyList": [{"PolicyName": pn, "PolicyDocument": enc(doc)} for pn, doc in r.inline],
             "AttachedManagedPolicies": attached(r),
             "Tags": [{"Key": k, "Value": v} for k, v in r.tags]}
        if r.boundary:
            d["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": r.boundary}
        if rng.random() < 0.8:
            d["RoleLastUsed"] = {"LastUsedDate": rdate(rng, 2023, 2024), "Region": a.region}
        else:
            d["RoleLastUsed"] = {}
        roles.append(d)
        n += 1
    users = []
    for i in range(rng.randint(0, 6)):
        un = rng.choice(["legacy-%s", "svc-%s", "%s-bot"]) % rng.choice(SVC_WORDS)
        users.append({"Path": "/", "UserName": un, "UserId": rid(rng, "AIDA"), "Arn": a.arn("user", un),
                      "CreateDate": rdate(rng, 2015, 2020),
                      "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": enc(identity_policy(
                          rng, c, a, ["s3", "sqs"], policy_target(rng)))}] if rng.random() < 0.6 else [],
                      "GroupList": ["legacy-services"],
                      "AttachedManagedPolicies": [], "Tags": []})
    groups = [{"Path": "/", "GroupName": "legacy-services", "GroupId": rid(rng, "AGPA"),
               "Arn": a.arn("group", "legacy-services"), "CreateDate": rdate(rng, 2015, 2018),
               "GroupPolicyList": [{"PolicyName": "deny-console", "PolicyDocument": enc({
                   "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:*LoginProfile*",
                                                           "Resource": "*"}]})}],
               "AttachedManagedPolicies": []}] if users else []
    policies = []
    for nm in a.managed:
        nv = rng.randint(1, 5)
        doc = customer_doc(rng, c, a, nm)
        versions = []
        for v in range(nv, 0, -1):
            versions.append({"Document": enc(doc), "VersionId": "v%d" % v, "IsDefaultVersion": v == nv,
                             "CreateDate": rdate(rng)})
        policies.append({"PolicyName": nm, "PolicyId": rid(rng, "ANPA"), "Arn": a.arn("policy", nm), "Path": "/",
                         "DefaultVersionId": "v%d" % nv, "AttachmentCount": rng.randint(0, 20),
                         "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                         "CreateDate": rdate(rng), "UpdateDate": rdate(rng), "PolicyVersionList": versions})
    cache = c.enc_cache if encoded else None
    for mp in catalog:
        vl = []
        for i in (2, 1, 0):
            if encoded:
                key = (mp["name"], i)
                if key not in cache:
                    cache[key] = quote(json.dumps(mp["docs"][i], indent=4), safe="")
                doc = cache[key]
            else:
                doc = mp["docs"][i]
            vl.append({"Document": doc, "VersionId": "v%d" % (i + 1), "IsDefaultVersion": i == 2,
                       "CreateDate": mp["dates"][i]})
        policies.append({"PolicyName": mp["name"], "PolicyId": mp["id"],
                         "Arn": "arn:aws:iam::aws:policy%s%s" % (mp["path"], mp["name"]), "Path": mp["path"],
                         "DefaultVersionId": "v3", "AttachmentCount": rng.randint(0, 40),
                         "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                         "CreateDate": mp["dates"][0], "UpdateDate": mp["dates"][2], "PolicyVersionList": vl})
    dump = {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies}
    w.json("dumps/%s-authorization-details.json" % a.id, dump, "dump", 4)
    w.write("accounts/%s/README.md" % a.dirname,
            "# %s (%s)\n\nIAM for this account is not managed in-repo. The nightly export job writes\n"
            "`dumps/%s-authorization-details.json` (`aws iam get-account-authorization-details`).\n" % (a.name, a.id, a.id),
            "other")
    return n


# --------------------------------------------------------------------------------------
# terraform plans
# --------------------------------------------------------------------------------------
def tf_json(rng, doc):
    if rng.random() < 0.6:
        return json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return json.dumps(doc, indent=2)  # aws_iam_policy_document style


def snake(s):
    return re.sub(r"[^a-z0-9_]", "_", s.lower())


def gen_tfplan(rng, c, w, stack, accts):
    provider = "registry.terraform.io/hashicorp/aws"
    root_resources = []
    child_modules = []
    changes = []
    prior = []
    n_roles = 0

    def add(container, module_addr, rtype, rname, index, values, existing, action):
        addr = "%s%s.%s" % (module_addr + "." if module_addr else "", rtype, rname)
        if index is not None:
            addr += '["%s"]' % index
        res = {"address": addr, "mode": "managed", "type": rtype, "name": rname}
        if index is not None:
            res["index"] = index
        res["provider_name"] = provider
        res["schema_version"] = 0
        res["values"] = values
        sv = {}
        for k, v in values.items():
            if isinstance(v, dict):
                sv[k] = {}
            elif isinstance(v, list):
                sv[k] = [{} if isinstance(x, dict) else False for x in v]
        res["sensitive_values"] = sv
        container.append(res)
        ch = {"address": addr}
        if module_addr:
            ch["module_address"] = module_addr
        ch.update({"mode": "managed", "type": rtype, "name": rname})
        if index is not None:
            ch["index"] = index
        ch["provider_name"] = provider
        after = dict(values)
        unknown = {}
        if action == "create":
            for k in ("arn", "id", "unique_id", "create_date", "policy_id", "attachment_count"):
                if rtype == "aws_iam_role" and k in ("arn", "id", "unique_id", "create_date"):
                    unknown[k] = True
                if rtype == "aws_iam_policy" and k in ("arn", "id", "policy_id", "attachment_count"):
                    unknown[k] = True
            if rtype == "aws_iam_role":
                unknown["inline_policy"] = True
                unknown["managed_policy_arns"] = True
                unknown["tags_all"] = {}
            if rtype in ("aws_iam_role_policy", "aws_iam_role_policy_attachment") and "role" not in values:
                unknown["role"] = True
            if rtype == "aws_iam_role_policy":
                unknown["id"] = True
            before = None
        else:
            before = dict(values)
            if action == "update":
                for k in ("assume_role_policy", "policy"):
                    if k in before:
                        d = json.loads(before[k])
                        st = d["Statement"] if isinstance(d["Statement"], list) else [d["Statement"]]
                        if len(st) > 1:
                            d["Statement"] = st[:-1]
                        else:
                            st0 = dict(st[0])
                            st0.pop("Condition", None)
                            d["Statement"] = [st0]
                        before[k] = json.dumps(d, sort_keys=True, separators=(",", ":"))
                if "description" in before:
                    before["description"] = ""
        ch["change"] = {"actions": [action], "before": before, "after": after, "after_unknown": unknown,
                        "before_sensitive": False if before is None else sv, "after_sensitive": sv}
        changes.append(ch)

    for a in accts:
        acct_mod = "module.%s" % snake(a.name)
        acct_children = []
        groups = {}
        for r in account_roles(rng, c, a):
            grp = r.kind if r.kind in ("lambda", "ecs", "gha", "eks") else "roles"
            groups.setdefault(grp, []).append(r)
        for m in a.managed:
            groups.setdefault("policies", [])
        for grp, roles in groups.items():
            mod_addr = "%s.module.%s" % (acct_mod, snake(grp) + ("_roles" if grp not in ("roles", "policies") else ""))
            resources = []
            if grp == "policies":
                for m in a.managed:
                    existing = rng.random() < 0.6
                    vals = {"description": sentence(rng, 3, 8), "name": m, "name_prefix": "", "path": "/",
                            "policy": tf_json(rng, customer_doc(rng, c, a, m)),
                            "tags": {"team": a.team}, "tags_all": {"team": a.team, "managed-by": "terraform"}}
                    if existing:
                        vals.update({"arn": a.arn("policy", m), "id": a.arn("policy", m),
                                     "policy_id": rid(rng, "ANPA"), "attachment_count": rng.randint(0, 9)})
                    add(resources, mod_addr, "aws_iam_policy", "this", m, vals, existing,
                        "no-op" if existing and rng.random() < 0.7 else ("update" if existing else "create"))
                acct_children.append({"resources": resources, "address": mod_addr})
                continue
            for r in roles:
                n_roles += 1
                existing = rng.random() < 0.55
                action = ("no-op" if rng.random() < 0.75 else "update") if existing else "create"
                vals = {"assume_role_policy": tf_json(rng, r.trust), "description": r.desc,
                        "force_detach_policies": False, "max_session_duration": r.max_session,
                        "name": r.name, "name_prefix": "", "path": r.path,
                        "permissions_boundary": r.boundary,
                        "tags": {k: v for k, v in r.tags}, "tags_all": {k: v for k, v in r.tags}}
                if existing:
                    vals.update({"arn": r.arn, "create_date": r.created.replace("+00:00", "Z"), "id": r.name,
                                 "unique_id": r.role_id,
                                 "inline_policy": [{"name": pn, "policy": json.dumps(d, separators=(",", ":"))}
                                                   for pn, d in r.inline],
                                 "managed_policy_arns": sorted(r.managed)})
                idx = r.name if grp != "roles" else None
                rname = "this" if grp != "roles" else snake(r.name)
                add(resources, mod_addr, "aws_iam_role", rname, idx, vals, existing, action)
                pact = "no-op" if action == "no-op" else ("update" if existing else "create")
                for pn, d in r.inline:
                    pv = {"name": pn, "name_prefix": "", "policy": tf_json(rng, d)}
                    if existing or rng.random() < 0.5:
                        pv["role"] = r.name
                    if existing:
                        pv["id"] = "%s:%s" % (r.name, pn)
                    if idx is not None:
                        add(resources, mod_addr, "aws_iam_role_policy", "inline", "%s/%s" % (r.name, pn),
                            pv, existing, pact)
                    else:
                        add(resources, mod_addr, "aws_iam_role_policy", "%s_%s" % (rname, snake(pn)), None,
                            pv, existing, pact)
                for m in r.managed:
                    av = {"policy_arn": m}
                    if existing or rng.random() < 0.5:
                        av["role"] = r.name
                    if existing:
                        av["id"] = "%s-%s" % (r.name, rid(rng, "", 20).lower())
                    add(resources, mod_addr, "aws_iam_role_policy_attachment", "this",
                        "%s|%s" % (r.name, managed_name(m)), av, existing, "no-op" if existing else "create")
            acct_children.append({"resources": resources, "address": mod_addr})
        # a couple of resources directly in the account module
        acct_res = []
        add(acct_res, acct_mod, "aws_iam_openid_connect_provider", "github", None,
            {"client_id_list": ["sts.amazonaws.com"], "tags": {}, "tags_all": {},
             "thumbprint_list": ["6938fd4d98bab03faadb97b34396831e3780aea1"],
             "url": "https://token.actions.githubusercontent.com",
             "arn": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % a.id,
             "id": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % a.id}, True, "no-op")
        child_modules.append({"resources": acct_res, "address": acct_mod, "child_modules": acct_children})
        prior.append({"address": "%s.data.aws_caller_identity.current" % acct_mod, "mode": "data",
                      "type": "aws_caller_identity", "name": "current", "provider_name": provider,
                      "schema_version": 0, "values": {"account_id": a.id,
                                                      "arn": "arn:aws:sts::%s:assumed-role/terraform-apply/ci" % a.id,
                                                      "id": a.id, "user_id": rid(rng, "AROA") + ":ci"},
                      "sensitive_values": {}})
    # root-level: hub-trust helper policy document data sources + role in root
    for a in accts[:1]:
        doc = trust_policy(rng, c, a, "hub-root", "tf-root")
        prior.append({"address": "data.aws_iam_policy_document.hub_trust", "mode": "data",
                      "type": "aws_iam_policy_document", "name": "hub_trust", "provider_name": provider,
                      "schema_version": 0, "values": {"id": str(rng.getrandbits(32)), "json": json.dumps(doc, indent=2),
                                                      "minified_json": json.dumps(doc, separators=(",", ":")),
                                                      "statement": None, "version": "2012-10-17"},
                      "sensitive_values": {}})
        add(root_resources, None, "aws_iam_role", "break_glass", None,
            {"assume_role_policy": json.dumps(doc, indent=2), "description": "Emergency access",
             "force_detach_policies": False, "max_session_duration": 3600, "name": "break-glass-tf",
             "name_prefix": "", "path": "/emergency/", "permissions_boundary": None, "tags": None},
            False, "create")
    plan = {"format_version": "1.2", "terraform_version": rng.choice(["1.5.7", "1.6.6", "1.7.5", "1.8.3", "1.9.2"]),
            "variables": {"region": {"value": accts[0].region}, "hub_account_id": {"value": c.hub.id},
                          "account_ids": {"value": {x.name: x.id for x in accts}}},
            "planned_values": {"root_module": {"resources": root_resources, "child_modules": child_modules}},
            "resource_changes": changes,
            "prior_state": {"format_version": "1.0", "terraform_version": "1.5.7",
                            "values": {"root_module": {"resources": prior}}},
            "configuration": {"provider_config": {
                "aws": {"name": "aws", "full_name": provider, "version_constraint": "~> 5.0",
                        "expressions": {"region": {"references": ["var.region"]}}}},
                "root_module": {"module_calls": {snake(x.name): {"source": "../../modules/account-iam",
                                                                 "expressions": {"account_id": {"constant_value": x.id}},
                                                                 "module": {}} for x in accts}}},
            "timestamp": rdate(rng, 2024, 2024, "Z"), "errored": False}
    ind = rng.choice([None, None, 2])
    w.json("infra/terraform/%s/plan.json" % stack, plan, "tfplan", ind)
    # accompanying HCL
    hcl = ['terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n'
           '  backend "s3" {\n    bucket = "%s-terraform-state"\n    key    = "%s/terraform.tfstate"\n    region = "%s"\n  }\n}\n'
           % (c.org, stack, accts[0].region)]
    for x in accts:
        hcl.append('\nprovider "aws" {\n  alias  = "%s"\n  region = var.region\n  assume_role {\n'
                   '    role_arn = "arn:aws:iam::%s:role/terraform-apply"\n  }\n}\n\nmodule "%s" {\n'
                   '  source     = "../../modules/account-iam"\n  providers  = { aws = aws.%s }\n'
                   '  account_id = "%s"\n  hub_account_id = var.hub_account_id\n}\n'
                   % (snake(x.name), x.id, snake(x.name), snake(x.name), x.id))
    w.write("infra/terraform/%s/main.tf" % stack, "".join(hcl), "other")
    w.write("infra/terraform/%s/variables.tf" % stack,
            'variable "region" {\n  type    = string\n  default = "%s"\n}\n\nvariable "hub_account_id" {\n'
            '  type    = string\n  default = "%s"\n}\n' % (accts[0].region, c.hub.id), "other")
    return n_roles


# --------------------------------------------------------------------------------------
# AWS CLI config
# --------------------------------------------------------------------------------------
def gen_cli_config(rng, c, w, path, accts, user, team=None):
    L = ["# AWS CLI configuration -- generated by tools/aws/gen-config.sh", "# Do not put credentials in this file.", ""]
    L += ["[default]", "region = %s" % c.hub.region, "output = json", ""]
    H = c.hub.id
    L += ["[profile hub]", "region = %s" % c.hub.region,
          "credential_process = aws-vault export --format=json hub-base", "mfa_serial = arn:aws:iam::%s:mfa/%s" % (H, user), ""]
    L += ["[sso-session %s]" % c.org, "sso_start_url = https://%s.awsapps.com/start" % c.org,
          "sso_region = %s" % c.sso_region, "sso_registration_scopes = sso:account:access", ""]
    if rng.random() < 0.5:
        L += ["[sso-session %s-legacy]" % c.org, "sso_start_url = https://d-%s.awsapps.com/start" % ("%010x" % rng.getrandbits(40)),
              "sso_region = us-east-1", ""]
    n = 0
    for a in accts:
        roles = ["readonly", "deployer", "admin"]
        if team and a.team == team:
            roles += [rn for rn, _k, _p in a.role_specs[:rng.randint(2, 8)] if rn not in roles]
        for rn in roles:
            if rng.random() < 0.15 and rn not in ("readonly",):
                continue
            pn = "%s-%s" % (a.name, rn)
            L.append("[profile %s]" % pn)
            L.append("role_arn = arn:aws:iam::%s:role/%s" % (a.id, rn))
            style = rng.random()
            if style < 0.75:
                L.append("source_profile = hub")
                if rn in ("admin", "break-glass") or rng.random() < 0.4:
                    L.append("mfa_serial = arn:aws:iam::%s:mfa/%s" % (H, user))
            elif style < 0.9:
                L.append("credential_source = %s" % rng.choice(["Ec2InstanceMetadata", "Environment", "EcsContainer"]))
            else:
                L.append("source_profile = %s-readonly" % a.name if rn != "readonly" else "source_profile = hub")
            L.append("region = %s" % (a.region if rng.random() < 0.8 else rng.choice(REGIONS)))
            if rng.random() < 0.5:
                L.append("duration_seconds = %d" % rng.choice([900, 3600, 3600, 7200, 43200]))
            if rng.random() < 0.2:
                L.append("role_session_name = %s" % user)
            if rng.random() < 0.05:
                L.append("external_id = %s-%s" % (c.org, rid(rng, "", 10).lower()))
            L.append("")
            n += 1
        if rng.random() < 0.6:
            L += ["[profile %s-sso]" % a.name, "sso_session = %s" % c.org, "sso_account_id = %s" % a.id,
                  "sso_role_name = %s" % rng.choice(["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess",
                                                     "%sDeveloper" % camel(a.team)]),
                  "region = %s" % a.region, ""]
            n += 1
        elif rng.random() < 0.2:
            L += ["[profile %s-sso-legacy]" % a.name, "sso_start_url = https://%s.awsapps.com/start" % c.org,
                  "sso_region = %s" % c.sso_region, "sso_account_id = %s" % a.id, "sso_role_name = ReadOnlyAccess",
                  "region = %s" % a.region, "output = table", ""]
            n += 1
    if rng.random() < 0.5:
        L += ["[profile ci]", "credential_process = /usr/local/bin/ci-credentials --account %s --role ci-runner" % H, ""]
    w.write(path, "\n".join(L), "cliconfig")
    return n


# --------------------------------------------------------------------------------------
# CloudFormation
# --------------------------------------------------------------------------------------
def gen_cfn(rng, c, w, path, team):
    svc = rng.choice(SVC_WORDS)
    res = {}
    params = {"Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"], "Default": "dev"},
              "HubAccountId": {"Type": "String", "Default": c.hub.id, "AllowedPattern": "^[0-9]{12}$"}}
    tbl = camel(svc) + "Table"
    q = camel(svc) + "Queue"
    bucket = camel(svc) + "Bucket"
    res[tbl] = {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": Tag("Sub", "%s-${Environment}" % svc), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}}
    res[q] = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": Tag("Sub", "%s-${Environment}-jobs" % svc),
                                                         "VisibilityTimeout": 120}}
    res[bucket] = {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": Tag("Sub", "%s-%s-${Environment}-${AWS::AccountId}" % (c.org, svc)),
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}}
    n_roles = rng.randint(1, 4)
    for i in range(n_roles):
        kind = rng.choice(["lambda", "ecs", "hub", "gha", "states"])
        rn = camel(svc) + camel(kind) + "Role" + (str(i) if i else "")
        if kind == "hub":
            princ = {"AWS": Tag("Sub", "arn:${AWS::Partition}:iam::${HubAccountId}:root")}
            cond = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
            st = {"Effect": "Allow", "Principal": princ, "Action": "sts:AssumeRole", "Condition": cond}
        elif kind == "gha":
            st = {"Effect": "Allow",
                  "Principal": {"Federated": Tag("Sub", "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com")},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:%s/%s:*" % (c.gh_org, svc)}}}
        else:
            st = {"Effect": "Allow", "Principal": {"Service": [SERVICE_PRINCIPALS[kind]]}, "Action": ["sts:AssumeRole"]}
            if rng.random() < 0.4:
                st["Condition"] = {"StringEquals": {"aws:SourceAccount": Tag("Ref", "AWS::AccountId")}}
        stmts = [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
             "Resource": [Tag("GetAtt", tbl + ".Arn"), Tag("Sub", "${%s.Arn}/index/*" % tbl)]},
            {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
             "Resource": Tag("GetAtt", q + ".Arn")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": Tag("Join", ["", ["arn:aws:s3:::", Tag("Ref", bucket), "/*"]])},
        ]
        if rng.random() < 0.5:
            stmts.append({"Effect": "Allow", "Action": "kms:Decrypt",
                          "Resource": Tag("Sub", "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/%s" % uuid4(rng))})
        if rng.random() < 0.3:
            stmts.append({"Effect": "Allow", "Action": "sts:AssumeRole",
                          "Resource": {"Fn::Sub": "arn:aws:iam::${HubAccountId}:role/deployer-*"}})
        props = {"RoleName": Tag("Sub", "%s-%s%s-${Environment}" % (svc, kind, "-%d" % i if i else "")),
                 "Path": rng.choice(["/", "/service/"]),
                 "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [st]},
                 "Policies": [{"PolicyName": "%s-access" % svc,
                               "PolicyDocument": {"Version": "2012-10-17", "Statement": stmts}}]}
        if kind == "lambda":
            props["ManagedPolicyArns"] = [Tag("Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")]
        if rng.random() < 0.3:
            props["PermissionsBoundary"] = Tag("Sub", "arn:aws:iam::${AWS::AccountId}:policy/developer-boundary")
        props["Tags"] = [{"Key": "team", "Value": team}, {"Key": "env", "Value": Tag("Ref", "Environment")}]
        res[rn] = {"Type": "AWS::IAM::Role", "Properties": props}
        if kind == "lambda":
            res[camel(svc) + "Function" + (str(i) if i else "")] = {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": Tag("Sub", "%s%s-${Environment}" % (svc, "-%d" % i if i else "")), "Runtime": rng.choice(["nodejs20.x", "python3.12"]),
                "Handler": "index.handler", "Role": Tag("GetAtt", rn + ".Arn"), "MemorySize": rng.choice([256, 512, 1024]),
                "Timeout": 30, "Code": {"S3Bucket": Tag("Ref", bucket), "S3Key": "%s/lambda.zip" % svc},
                "Environment": {"Variables": {"TABLE_NAME": Tag("Ref", tbl), "QUEUE_URL": Tag("Ref", q)}}}}
    if rng.random() < 0.4:
        res[camel(svc) + "ManagedPolicy"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "ManagedPolicyName": Tag("Sub", "%s-read-${Environment}" % svc),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": [Tag("GetAtt", bucket + ".Arn"), Tag("Sub", "${%s.Arn}/*" % bucket)]}]}}}
    tmpl = {"AWSTemplateFormatVersion": "2010-09-09", "Description": "%s service resources (%s team)" % (svc, team),
            "Parameters": params, "Resources": res,
            "Outputs": {"TableName": {"Value": Tag("Ref", tbl)},
                        "QueueArn": {"Value": Tag("GetAtt", q + ".Arn"),
                                     "Export": {"Name": Tag("Sub", "${AWS::StackName}-QueueArn")}}}}
    w.write(path, to_yaml(tmpl, "# yaml-language-server: $schema=https://raw.githubusercontent.com/awslabs/goformation/master/schema/cloudformation.schema.json\n"), "cfn")
    return n_roles


# --------------------------------------------------------------------------------------
# unrelated monorepo content
# --------------------------------------------------------------------------------------
def semver(rng):
    return "%d.%d.%d" % (rng.randint(0, 18), rng.randint(0, 30), rng.randint(0, 40))


def npm_name(rng):
    base = rng.choice(NPM_WORDS)
    r = rng.random()
    if r < 0.3:
        return "%s/%s" % (rng.choice(NPM_SCOPES), base + rng.choice(["", "-core", "-utils", "-plugin", "-types"]))
    if r < 0.5:
        return "%s-%s" % (base, rng.choice(NPM_WORDS))
    if r < 0.6:
        return "%s.%s" % (base, rng.choice(["merge", "get", "set", "debounce", "clonedeep", "isequal"]))
    return base


def gen_package_json(rng, c, name):
    deps = {}
    for _ in range(rng.randint(2, 25)):
        deps[npm_name(rng)] = "^" + semver(rng)
    dev = {}
    for _ in range(rng.randint(3, 20)):
        dev[npm_name(rng)] = rng.choice(["^", "~", ""]) + semver(rng)
    return {"name": "@%s/%s" % (c.org, name), "version": semver(rng), "private": True,
            "description": sentence(rng), "main": "dist/index.js", "types": "dist/index.d.ts",
            "scripts": {"build": "tsc -p tsconfig.json", "test": "jest --passWithNoTests", "lint": "eslint . --ext .ts,.tsx",
                        "start": "node dist/index.js", "typecheck": "tsc --noEmit"},
            "dependencies": dict(sorted(deps.items())), "devDependencies": dict(sorted(dev.items())),
            "engines": {"node": ">=%d" % rng.choice([16, 18, 20])}, "license": "UNLICENSED"}


def gen_lock(rng, c, name, target):
    pk = {"": {"name": "@%s/%s" % (c.org, name), "version": semver(rng), "license": "UNLICENSED"}}
    size = 200
    i = 0
    while size < target:
        nm = npm_name(rng)
        key = "node_modules/" + nm
        if rng.random() < 0.25:
            key = "node_modules/%s/node_modules/%s" % (npm_name(rng), nm)
        if key in pk:
            key += str(i)
        v = semver(rng)
        e = {"version": v, "resolved": "https://registry.npmjs.org/%s/-/%s-%s.tgz" % (nm, nm.split("/")[-1], v),
             "integrity": "sha512-" + base64.b64encode(rng.getrandbits(512).to_bytes(64, "big")).decode()}
        if rng.random() < 0.4:
            e["dev"] = True
        if rng.random() < 0.5:
            e["dependencies"] = {npm_name(rng): "^" + semver(rng) for _ in range(rng.randint(1, 5))}
        if rng.random() < 0.2:
            e["engines"] = {"node": ">=%d" % rng.choice([6, 8, 10, 12, 14])}
        if rng.random() < 0.1:
            e["license"] = rng.choice(["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"])
        pk[key] = e
        size += len(json.dumps(e)) + 40 + len(key) + 30
        i += 1
    return {"name": "@%s/%s" % (c.org, name), "version": pk[""]["version"], "lockfileVersion": 3, "requires": True,
            "packages": pk}


def gen_i18n(rng, target):
    d = {}
    size = 10
    while size < target:
        sect = rng.choice(["common", "errors", "nav", "checkout", "account", "forms", "emails", "settings", "search"])
        sec = d.setdefault(sect, {})
        k = "%s_%s" % (rng.choice(LOREM), rng.choice(LOREM))
        v = sentence(rng, 2, 14)
        if rng.random() < 0.1:
            v = v[:-1] + " {{count}}."
        sec[k] = v
        size += len(k) + len(v) + 12
    return d


def gen_fixture(rng, c, target):
    out = []
    size = 0
    kind = rng.choice(["orders", "users", "products", "events"])
    while size < target:
        if kind == "orders":
            rec = {"id": uuid4(rng), "customerId": uuid4(rng), "total": round(rng.uniform(1, 900), 2),
                   "currency": rng.choice(["EUR", "USD", "GBP"]), "status": rng.choice(["PAID", "PENDING", "SHIPPED"]),
                   "items": [{"sku": "SKU-%06d" % rng.randint(0, 999999), "qty": rng.randint(1, 5)}
                             for _ in range(rng.randint(1, 4))], "createdAt": rdate(rng, 2022, 2024, "Z")}
        elif kind == "users":
            f, l = rng.choice(FIRST), rng.choice(LAST)
            rec = {"id": rng.randint(1, 10 ** 6), "name": "%s %s" % (f.title(), l.title()),
                   "email": "%s.%s@example.com" % (f, l), "locale": rng.choice(LANGS), "active": rng.random() < 0.8}
        elif kind == "products":
            rec = {"sku": "SKU-%06d" % rng.randint(0, 999999), "title": sentence(rng, 2, 5), "price": rng.randint(100, 99999),
                   "tags": rng.sample(LOREM, 3), "stock": rng.randint(0, 500)}
        else:
            rec = {"type": rng.choice(["page_view", "click", "purchase", "signup"]), "ts": rdate(rng, 2024, 2024, "Z"),
                   "sessionId": "%016x" % rng.getrandbits(64), "props": {"path": "/" + rng.choice(LOREM)}}
        out.append(rec)
        size += len(json.dumps(rec)) + 8
    return out


def gen_openapi(rng, svc, target):
    paths = {}
    size = 200
    while size < target:
        p = "/%s/%s/{id}" % (svc, rng.choice(LOREM))
        op = {"summary": sentence(rng, 3, 7), "operationId": camel(rng.choice(VERBS) + "-" + rng.choice(NOUNS)),
              "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
              "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                  "$ref": "#/components/schemas/%s" % rng.choice(NOUNS)}}}}, "404": {"description": "Not found"}}}
        paths.setdefault(p, {})[rng.choice(["get", "put", "post", "delete"])] = op
        size += len(json.dumps(op)) * 1.3
    return {"openapi": "3.0.3", "info": {"title": "%s API" % svc, "version": semver(rng)}, "paths": paths,
            "components": {"schemas": {n: {"type": "object", "properties": {"id": {"type": "string"}}} for n in NOUNS}}}


def gen_ts(rng, svc):
    lines = ["import { %s } from '@%s';" % (camel(rng.choice(NPM_WORDS)), rng.choice(NPM_WORDS)), ""]
    for _ in range(rng.randint(2, 10)):
        fn = camel(rng.choice(VERBS) + "-" + rng.choice(NOUNS))
        fn = fn[0].lower() + fn[1:]
        lines += ["export async function %s(input: Record<string, unknown>): Promise<void> {" % fn,
                  "  // %s" % sentence(rng), "  const key = `%s/${String(input.id)}`;" % svc,
                  "  if (!input.id) throw new Error('%s');" % sentence(rng, 2, 5), "  console.log(key);", "}", ""]
    return "\n".join(lines)


def gen_readme(rng, title, paras=None):
    out = ["# %s" % title, ""]
    for _ in range(paras or rng.randint(2, 8)):
        if rng.random() < 0.25:
            out += ["## %s" % sentence(rng, 1, 3).rstrip("."), ""]
        out += [" ".join(sentence(rng) for _ in range(rng.randint(2, 6))), ""]
        if rng.random() < 0.2:
            out += ["```bash", "npm run %s" % rng.choice(["build", "test", "deploy"]), "```", ""]
    return "\n".join(out)


def gen_workflow(rng, c, name, accts):
    a = rng.choice(accts)
    role = "arn:aws:iam::%s:role/%s" % (a.id, rng.choice(["github-actions-deploy", "deployer"] +
                                                         [n for n, k, _ in a.role_specs if k == "gha"][:3]))
    wf = {"name": name, "on": {"push": {"branches": ["main"]}, "pull_request": {}},
          "permissions": {"id-token": "write", "contents": "read"},
          "jobs": {"build": {"runs-on": "ubuntu-latest", "steps": [
              {"uses": "actions/checkout@v4"},
              {"uses": "actions/setup-node@v4", "with": {"node-version": 20, "cache": "npm"}},
              {"run": "npm ci"}, {"run": "npm test -- --ci"}]},
              "deploy": {"needs": "build", "if": "github.ref == 'refs/heads/main'", "runs-on": "ubuntu-latest",
                         "environment": a.env, "steps": [
                  {"uses": "actions/checkout@v4"},
                  {"name": "Configure AWS credentials", "uses": "aws-actions/configure-aws-credentials@v4",
                   "with": {"role-to-assume": role, "aws-region": a.region, "role-session-name": "gha-%s" % name}},
                  {"run": "npx cdk deploy --require-approval never"}]}}}
    return to_yaml(wf)


def gen_unrelated_fixed(rng, c, w):
    w.json("package.json", {"name": "%s-monorepo" % c.org, "private": True,
                            "workspaces": ["apps/*", "packages/*", "services/*"],
                            "scripts": {"build": "turbo run build", "test": "turbo run test", "lint": "turbo run lint"},
                            "devDependencies": {"turbo": "^1.13.0", "typescript": "^5.4.0", "prettier": "^3.2.5"}},
           "other")
    w.json("tsconfig.base.json", {"compilerOptions": {"target": "ES2022", "module": "commonjs", "strict": True,
                                                      "esModuleInterop": True, "skipLibCheck": True,
                                                      "declaration": True, "outDir": "dist"}}, "other")
    w.json("turbo.json", {"$schema": "https://turbo.build/schema.json", "pipeline": {
        "build": {"dependsOn": ["^build"], "outputs": ["dist/**"]}, "test": {"dependsOn": ["build"]}, "lint": {}}}, "other")
    w.json("renovate.json", {"extends": ["config:base"], "schedule": ["before 6am on monday"],
                             "packageRules": [{"matchUpdateTypes": ["minor", "patch"], "automerge": True}]}, "other")
    w.json(".eslintrc.json", {"root": True, "parser": "@typescript-eslint/parser", "plugins": ["@typescript-eslint"],
                              "extends": ["eslint:recommended", "plugin:@typescript-eslint/recommended"]}, "other")
    w.json(".vscode/settings.json", {"editor.formatOnSave": True, "files.exclude": {"**/dist": True},
                                     "json.schemas": [{"fileMatch": ["**/trust-policy.json"],
                                                       "url": "./schemas/iam-policy.schema.json"}]}, "other")
    w.json("schemas/iam-policy.schema.json", {"$schema": "http://json-schema.org/draft-07/schema#", "title": "IAM policy",
                                              "type": "object", "required": ["Statement"],
                                              "properties": {"Version": {"enum": ["2012-10-17", "2008-10-17"]},
                                                             "Statement": {"type": ["array", "object"]}}}, "other")
    w.write("README.md", gen_readme(rng, "%s platform monorepo" % c.org.title(), 12), "other")
    w.write("CODEOWNERS", "\n".join("/accounts/*%s* @%s/%s" % (t, c.gh_org, t) for t in TEAMS) + "\n", "other")
    w.write(".gitignore", "node_modules/\ndist/\n.terraform/\n*.tfstate\n.aws/credentials\n", "other")
    # docs with placeholder-account IAM examples (documentation account ids)
    for i in range(rng.randint(6, 12)):
        doc = {"Version": "2012-10-17", "Statement": [{
            "Sid": "Example%d" % i, "Effect": "Allow",
            "Principal": {"AWS": rng.choice(["arn:aws:iam::123456789012:root", "arn:aws:iam::111122223333:role/ExampleRole",
                                            "444455556666"])},
            "Action": "sts:AssumeRole"}]}
        w.json("docs/iam-examples/example-%02d.json" % i, doc, "other")
    for i in range(rng.randint(15, 40)):
        w.write("docs/%02d-%s.md" % (i, "-".join(rng.sample(LOREM, 2))), gen_readme(rng, sentence(rng, 2, 5)), "other")


class Monorepo:
    """Unrelated packages; filled until a file-count target."""

    def __init__(self, rng, c, w):
        self.rng, self.c, self.w = rng, c, w
        self.pkg_dirs = []
        self.n = 0

    def package(self):
        rng, c, w = self.rng, self.c, self.w
        kind = rng.choice(["apps", "packages", "services", "services", "packages"])
        name = "%s-%s" % (rng.choice(SVC_WORDS), rng.choice(["web", "api", "worker", "sdk", "ui", "core", "cli", "lib", "bff", "jobs"]))
        d = "%s/%s" % (kind, name)
        if d in self.pkg_dirs or w.exists(d + "/package.json"):
            d = "%s-%d" % (d, self.n)
        self.n += 1
        self.pkg_dirs.append(d)
        w.json(d + "/package.json", gen_package_json(rng, c, name), "other")
        w.json(d + "/tsconfig.json", {"extends": "../../tsconfig.base.json", "compilerOptions": {"rootDir": "src", "outDir": "dist"},
                                      "include": ["src"]}, "other")
        w.write(d + "/README.md", gen_readme(rng, name), "other")
        for i in range(rng.randint(1, 6)):
            p = "%s/src/%s.ts" % (d, rng.choice(NOUNS).lower() + ("-%d" % i))
            w.write(p, gen_ts(rng, name), "other")
        if kind in ("apps",) or rng.random() < 0.35:
            langs = rng.sample(LANGS, rng.randint(3, 12))
            nss = rng.sample(["common", "checkout", "account", "errors", "emails"], rng.randint(1, 3))
            for lg in langs:
                for ns in nss:
                    w.json("%s/locales/%s/%s.json" % (d, lg, ns), gen_i18n(rng, rng.randint(500, 3500)), "other",
                           rng.choice([2, 4]))
        if rng.random() < 0.5:
            for i in range(rng.randint(1, 6)):
                w.json("%s/test/fixtures/%s-%d.json" % (d, rng.choice(["sample", "payload", "response", "seed"]), i),
                       gen_fixture(rng, c, rng.randint(400, 3500)), "other")
        if kind == "services":
            w.json(d + "/openapi.json", gen_openapi(rng, name, rng.randint(2000, 9000)), "other")
            a = rng.choice(self.c.accounts)
            for env in rng.sample(["dev", "staging", "prod"], rng.randint(1, 3)):
                w.json("%s/config/%s.json" % (d, env), {
                    "service": name, "region": a.region, "logLevel": rng.choice(["info", "debug", "warn"]),
                    "queueUrl": "https://sqs.%s.amazonaws.com/%s/%s-%s" % (a.region, a.id, name, env),
                    "tableName": "%s-%s" % (name, env), "featureFlags": {k: rng.random() < 0.5 for k in rng.sample(LOREM, 6)}},
                    "other")
            if rng.random() < 0.3:
                w.write(d + "/buildspec.yml", to_yaml({"version": 0.2, "phases": {
                    "install": {"runtime-versions": {"nodejs": 20}, "commands": ["npm ci"]},
                    "build": {"commands": ["npm run build", "npm test"]}},
                    "artifacts": {"files": ["dist/**/*"]}}), "other")
        if rng.random() < 0.3:
            w.json(d + "/.eslintrc.json", {"extends": ["../../.eslintrc.json"], "rules": {"no-console": "off"}}, "other")
        if rng.random() < 0.2:
            w.write(d + "/CHANGELOG.md", gen_readme(rng, "Changelog"), "other")

    def data_file(self):
        rng, w = self.rng, self.w
        d = "data/%s" % rng.choice(["catalog", "geo", "pricing", "analytics", "ml-features", "seo"])
        p = "%s/%s-%05d.json" % (d, rng.choice(LOREM), self.n)
        self.n += 1
        r = rng.random()
        if r < 0.5:
            obj = gen_fixture(rng, self.c, rng.randint(600, 5000))
        elif r < 0.8:
            obj = {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"name": rng.choice(LOREM), "pop": rng.randint(100, 10 ** 6)},
                 "geometry": {"type": "Point", "coordinates": [round(rng.uniform(-180, 180), 5), round(rng.uniform(-90, 90), 5)]}}
                for _ in range(rng.randint(5, 30))]}
        else:
            obj = {"base": "EUR", "date": rdate(rng, 2024, 2024, "Z")[:10],
                   "rates": {"%s" % "".join(rng.sample("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)): round(rng.uniform(0.1, 200), 4)
                             for _ in range(rng.randint(20, 150))}}
        w.json(p, obj, "other", rng.choice([None, 2]))


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--force", action="store_true", help="delete OUTDIR first if it exists")
    args = ap.parse_args()
    t0 = time.time()
    out = args.outdir
    if os.path.exists(out) and os.listdir(out):
        if not args.force:
            sys.exit("%s exists and is not empty (use --force)" % out)
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)
    scale = args.scale
    rng = random.Random(args.seed)
    w = Writer(out)
    c = Ctx()
    c.org = rng.choice(ORG_NAMES)
    c.gh_org = c.org + rng.choice(["", "-corp", "-eng", "hq"])
    c.org_id = "o-" + "".join(rng.choice(LOWER_ALNUM) for _ in range(10))
    c.sso_region = rng.choice(["eu-west-1", "us-east-1"])
    c.saml_name = rng.choice(["Okta", "AzureAD", "OneLogin", "Google"])
    c.enc_cache = {}
    c.vendors = [(v, "%012d" % rng.randint(10 ** 11, 10 ** 12 - 1)) for v in
                 ["datadog", "snyk", "wiz", "lacework", "sumologic", "newrelic", "cloudhealth", "vanta", "orca", "spacelift"]]

    # ---- accounts
    n_acc = max(8, int(round(100 * scale)))
    ids = {}

    def new_id():
        while True:
            x = rng.randint(10 ** 10, 10 ** 12 - 1) if rng.random() < 0.1 else rng.randint(10 ** 11, 10 ** 12 - 1)
            s = "%012d" % x
            if s not in ids:
                ids[s] = 1
                return s

    specials = [("identity-hub", "core", "platform", "prod"), ("org-management", "root", "platform", "prod"),
                ("log-archive", "security", "security", "prod"), ("security-audit", "security", "security", "prod"),
                ("shared-services", "infrastructure", "platform", "prod"), ("network-hub", "infrastructure", "networking", "prod")]
    accounts = []
    names = {}
    for nm, ou, team, env in specials[:min(len(specials), n_acc)]:
        accounts.append(Account(nm, new_id(), ou, team, env))
        names[nm] = 1
    while len(accounts) < n_acc:
        team = rng.choice(TEAMS)
        env = wchoice(rng, ENVS)
        nm = "%s-%s" % (team, env)
        if env == "sandbox":
            nm = "sandbox-%s-%s" % (team, rng.choice(FIRST))
        if nm in names:
            nm = "%s-%s" % (nm, rng.choice(["eu", "us", "ap", "2", "legacy", "v2"]))
            if nm in names:
                continue
        names[nm] = 1
        ou = "workloads/prod" if env in ("prod", "dr") else "sandbox" if env == "sandbox" else "workloads/nonprod"
        accounts.append(Account(nm, new_id(), ou, team, env))
    hub = accounts[0]
    hub.is_hub = True
    c.hub = hub
    c.mgmt = accounts[1]
    for a in accounts:
        a.region = rng.choice(REGIONS[:6]) if rng.random() < 0.85 else rng.choice(REGIONS)
        a.indent = rng.choice([2, 2, 2, 4])
        a.oidc_eks_id = "%032X" % rng.getrandbits(128)
    c.accounts = [a for a in accounts if not a.is_hub]

    # hub principals
    users = []
    n_users = max(20, int(rng.randint(120, 170) * math.sqrt(scale)))
    while len(users) < n_users:
        u = "%s.%s" % (rng.choice(FIRST), rng.choice(LAST))
        if u in users:
            u += str(rng.randint(2, 9))
            if u in users:
                continue
        users.append(u)
    c.hub_service_users = ["svc-jenkins", "ci-github", "svc-backstage", "svc-terraform-cloud"]
    users += c.hub_service_users
    c.hub_users = users
    c.hub_groups = [("platform-admins", "admin"), ("readonly-everyone", "readonly"), ("auditors", "audit"),
                    ("all-humans", "self"), ("automation", "readonly")] + \
                   [("%s-engineers" % t, t) for t in rng.sample(TEAMS, rng.randint(8, 14))]
    c.hub_generic_roles = ["ci-runner", "terraform-orchestrator", "incident-responder", "org-inventory",
                           "sso-platform-admin", "sso-developer", "saml-readonly", "backstage-catalog",
                           "cost-explorer", "security-scanner", "access-analyzer", "config-aggregator",
                           "guardduty-admin", "log-reader", "support-engineer", "release-manager"]

    # ---- layouts
    others = c.accounts
    pool = list(others)
    rng.shuffle(pool)
    # the AWS-managed catalogue (~650 x 3 versions) makes every dump ~6-8 MB regardless of scale,
    # so the number of dumps is what scales: 3-6 at scale >= 0.75, 2 at mid scales, 1 below.
    lo, hi = (3, 6) if scale >= 0.75 else (2, 2) if scale >= 0.35 else (1, 1)
    n_dump = min(hi, max(lo, int(round(4.5 * scale + rng.uniform(-1.5, 1.5)))))
    n_tf_acc = max(2, int(round(rng.uniform(4, 6) * scale)))
    i = 0
    for a in pool:
        if i < n_dump:
            a.layout = "dump"
        elif i < n_dump + n_tf_acc:
            a.layout = "terraform"
        else:
            a.layout = wchoice(rng, [("nested", 14), ("flatpair", 14), ("getrole", 32), ("bundle", 30), ("envnested", 10)])
        i += 1
    hub.layout = "nested(hub)"

    # ---- role counts
    target_roles = int(round(11000 * scale))
    hub_roles_n = len(others) + len(c.hub_generic_roles)
    wts = []
    for a in others:
        x = rng.lognormvariate(0, 0.55)
        if a.layout == "dump":
            x *= 1.8
        elif a.layout == "terraform":
            x *= 0.7
        wts.append(x)
    tot = sum(wts)
    remain = target_roles - hub_roles_n
    for a, x in zip(others, wts):
        a.n_roles = max(15, int(round(x / tot * remain)))
    # keep the per-file IAM share near 58% of the file budget (the rest is monorepo noise):
    # nudge a few accounts between file-heavy and file-light layouts.
    fpr = {"nested": 2.1, "flatpair": 1.7, "getrole": 1.05, "envnested": 2.1, "bundle": 0.07}
    tfiles = 20000 * scale

    def est_iam():
        return sum(a.n_roles * fpr[a.layout] + 10 for a in others if a.layout in fpr) + 500 * math.sqrt(scale)
    movable = [a for a in others if a.layout in fpr]
    for _ in range(len(movable)):
        e = est_iam()
        if e > 0.61 * tfiles:
            heavy = [a for a in movable if a.layout in ("nested", "envnested", "flatpair")]
            if not heavy:
                break
            rng.choice(heavy).layout = rng.choice(["getrole", "bundle"])
        elif e < 0.55 * tfiles:
            light = [a for a in movable if a.layout in ("bundle", "getrole")]
            if not light:
                break
            rng.choice(light).layout = rng.choice(["nested", "flatpair", "envnested"])
        else:
            break
    for a in others:
        gen_role_specs(rng, c, a, a.n_roles)
        gen_customer_managed(rng, c, a, rng.randint(3, 18))
    gen_customer_managed(rng, c, hub, rng.randint(3, 8))

    stats = {"roles_by_layout": {}, "accounts_by_layout": {}}

    def bump(layout, n):
        stats["roles_by_layout"][layout] = stats["roles_by_layout"].get(layout, 0) + n
        stats["accounts_by_layout"][layout] = stats["accounts_by_layout"].get(layout, 0) + 1

    # ---- org metadata
    w.json("org/accounts.json", {"OrganizationId": c.org_id, "ManagementAccountId": c.mgmt.id,
                                 "Accounts": [{"Id": a.id, "Name": a.name, "Email": "aws+%s@%s.example.com" % (a.name, c.org),
                                               "OrganizationalUnit": a.ou, "Status": "ACTIVE",
                                               "Tags": {"team": a.team, "env": a.env}} for a in accounts]}, "org")
    for scp in ["deny-leave-org", "deny-root-user", "region-guardrail", "protect-security-tooling", "deny-iam-user-creation",
                "require-imdsv2", "protect-cloudtrail"][:rng.randint(4, 7)]:
        doc = {"Version": "2012-10-17", "Statement": [{"Sid": camel(scp), "Effect": "Deny",
                                                       "Action": rng.sample(["organizations:LeaveOrganization", "iam:CreateUser",
                                                                             "cloudtrail:StopLogging", "cloudtrail:DeleteTrail",
                                                                             "guardduty:DeleteDetector", "ec2:RunInstances",
                                                                             "iam:CreateAccessKey"], 3),
                                                       "Resource": "*",
                                                       "Condition": {"ArnNotLike": {"aws:PrincipalArn": [
                                                           "arn:aws:iam::*:role/OrganizationAccountAccessRole",
                                                           "arn:aws:iam::*:role/break-glass"]}}}]}
        w.json("org/scps/%s.json" % scp, doc, "org")

    # ---- hub
    n = gen_hub(rng, c, w)
    bump("nested(hub)", n)

    # ---- per-file accounts
    fns = {"nested": layout_nested, "flatpair": layout_flatpair, "getrole": layout_getrole,
           "bundle": layout_bundle, "envnested": layout_envnested}
    for a in others:
        if a.layout in fns:
            n = fns[a.layout](rng, c, a, w, account_roles(rng, c, a))
            bump(a.layout, n)
    t_iam = time.time()

    # ---- dumps
    catalog = build_aws_managed(rng)
    dump_accts = [a for a in others if a.layout == "dump"]
    dump_paths = []
    for k, a in enumerate(dump_accts):
        encoded = (k % 2 == 1)
        n = gen_dump(rng, c, a, w, catalog, encoded)
        bump("dump" + ("(url-encoded)" if encoded else "(json)"), n)
        dump_paths.append(("dumps/%s-authorization-details.json" % a.id, encoded, n))
    t_dump = time.time()

    # ---- terraform
    tf_accts = [a for a in others if a.layout == "terraform"]
    tf_paths = []
    stacks_seen = {}
    k = 0
    while k < len(tf_accts):
        take = 1 if rng.random() < 0.5 else 2
        grp = tf_accts[k:k + take]
        k += take
        stack = "iam-%s" % (grp[0].name if len(grp) == 1 else "%s-and-%d-more" % (grp[0].team, len(grp) - 1))
        # Two pairs of one team's accounts would share a stack name (seeds 1 and 3 at
        # scale 5); the first keeps it, so trees that never collided stay byte-identical.
        stacks_seen[stack] = stacks_seen.get(stack, 0) + 1
        if stacks_seen[stack] > 1:
            stack = "%s-%d" % (stack, stacks_seen[stack])
        n = gen_tfplan(rng, c, w, stack, grp)
        stats["roles_by_layout"]["terraform"] = stats["roles_by_layout"].get("terraform", 0) + n
        stats["accounts_by_layout"]["terraform"] = stats["accounts_by_layout"].get("terraform", 0) + len(grp)
        tf_paths.append("infra/terraform/%s/plan.json" % stack)

    # ---- CLI configs
    cli_paths = []
    gen_cli_config(rng, c, w, "tools/aws/config", others, rng.choice(users[:-4]))
    cli_paths.append("tools/aws/config")
    for t in rng.sample(TEAMS, max(3, int(round(rng.randint(5, 8) * min(1.0, scale + 0.3))))):
        accts = [a for a in others if a.team == t] + rng.sample(others, min(len(others), rng.randint(40, 120)))
        seen = {}
        acc2 = []
        for a in accts:
            if a.id not in seen:
                seen[a.id] = 1
                acc2.append(a)
        p = "teams/%s/aws-config/config" % t
        gen_cli_config(rng, c, w, p, acc2, rng.choice(users[:-4]), t)
        cli_paths.append(p)
    gen_cli_config(rng, c, w, "ops/bastion/.aws/config", rng.sample(others, min(len(others), 60)), "svc-jenkins")
    cli_paths.append("ops/bastion/.aws/config")

    # ---- unrelated
    target_files = int(round(20000 * scale))
    target_bytes = int(100e6 * scale)
    gen_unrelated_fixed(rng, c, w)
    cfn_roles = 0
    n_cfn = int(round(rng.randint(90, 140) * scale))
    for i in range(n_cfn):
        t = rng.choice(TEAMS)
        p = rng.choice(["cloudformation/%s/%s-%03d.yaml", "infra/cfn/%s/stack-%s-%03d.yml", "services/%s/cfn/%s-%03d.template.yaml"]) \
            % (t, rng.choice(SVC_WORDS), i)
        cfn_roles += gen_cfn(rng, c, w, p, t)
    for i in range(int(round(rng.randint(20, 35) * scale))):
        w.write(".github/workflows/%s-%02d.yml" % (rng.choice(SVC_WORDS), i), gen_workflow(rng, c, "ci-%d" % i, others), "ci")
    w.write(".gitlab-ci.yml", to_yaml({"stages": ["lint", "test", "deploy"],
                                       "lint": {"stage": "lint", "script": ["npm ci", "npm run lint"]},
                                       "test": {"stage": "test", "script": ["npm test"]}}), "ci")
    mono = Monorepo(rng, c, w)
    n_data = int(round(rng.randint(500, 800) * scale))
    for _ in range(n_data):
        mono.data_file()
    # estimate lock-file count to reserve
    avg_small = 2000
    files_left = max(0, target_files - w.files)
    est_lock_bytes = target_bytes - w.bytes - files_left * avg_small
    n_locks = int(min(400, max(8 * scale, est_lock_bytes / 260000)))
    while w.files < target_files - n_locks:
        mono.package()
    # lock files fill the byte budget
    remaining = max(target_bytes - w.bytes, n_locks * 50000)
    sizes = [rng.uniform(50000, 500000) for _ in range(n_locks)]
    f = remaining / sum(sizes) if sizes else 1
    sizes = [min(500000, max(50000, s * f)) for s in sizes]
    dirs = list(mono.pkg_dirs)
    rng.shuffle(dirs)
    for i, s in enumerate(sizes):
        d = dirs[i] if i < len(dirs) else "tools/legacy-%03d" % i
        w.json(d + "/package-lock.json", gen_lock(rng, c, d.split("/")[-1], int(s)), "lockfile", 2)

    # ---- manifest (stats for the benchmark harness; kept out of the tree)
    total_roles = sum(stats["roles_by_layout"].values())
    manifest = {"seed": args.seed, "scale": scale, "files": w.files, "bytes": w.bytes, "org": c.org, "org_id": c.org_id,
                "hub_account": {"name": hub.name, "id": hub.id}, "accounts": len(accounts),
                "roles_total": total_roles, "cfn_role_resources": cfn_roles,
                "roles_by_layout": stats["roles_by_layout"], "accounts_by_layout": stats["accounts_by_layout"],
                "hub_users": len(users), "hub_groups": len(c.hub_groups),
                "files_by_category": w.cat_files, "bytes_by_category": w.cat_bytes,
                "dumps": [{"path": p, "url_encoded": e, "roles": n} for p, e, n in dump_paths],
                "terraform_plans": tf_paths, "cli_configs": cli_paths,
                "seconds": round(time.time() - t0, 1)}
    with open(out.rstrip("/") + ".manifest.json", "w") as fh:
        json.dump(manifest, fh, indent=2)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
