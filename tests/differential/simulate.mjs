// Reads a JSON list of AssumeRole requests on stdin and prints, as a JSON list in the same
// order, what @cloud-copilot/iam-simulate decides for each: "Allowed", "ExplicitlyDenied",
// "ImplicitlyDenied", or "error: ..." when it refuses the input.
// A request: { identity: [policy...], trust: policy, principal: ARN (a user's, or a role's
// session), principal_arn: ARN (the user's or role's), account: id, role: ARN }.
// The caller's account and ARN go in the request context (aws:PrincipalAccount,
// aws:PrincipalArn), as AWS sets them.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const out = []
for (const r of requests) {
  const response = await runSimulation(
    {
      identityPolicies: r.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: r.trust,
      request: {
        action: 'sts:AssumeRole',
        principal: r.principal,
        resource: { accountId: r.role.split(':')[4], resource: r.role },
        contextVariables: {
          'aws:PrincipalAccount': r.account,
          'aws:PrincipalArn': r.principal_arn
        }
      }
    },
    {}
  )
  out.push(
    response.resultType === 'error'
      ? `error: ${JSON.stringify(response.errors)}`
      : response.overallResult
  )
}
process.stdout.write(JSON.stringify(out) + '\n')
