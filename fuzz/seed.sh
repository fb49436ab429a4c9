#!/bin/sh
# Builds fuzz/corpus/<target>/ from the project's test data. Each seed gets a leading byte
# because the targets use the first byte to choose the file name the input is scanned as.
set -eu
cd "$(dirname "$0")"
seed() { # target, prefix bytes count, files...
    target=$1; n=$2; shift 2
    mkdir -p "corpus/$target"
    i=0
    for f in "$@"; do
        i=$((i + 1))
        b=0
        while [ "$b" -lt "$n" ]; do
            { printf "\\00$b"; cat "$f"; } > "corpus/$target/seed-$i-$b"
            b=$((b + 1))
        done
    done
}
seed policy_json 5 $(find ../testdata -name '*.json' ! -path '*/sources/*' | sort)
seed aws_ini 3 $(find ../testdata -name 'config' -o -name 'credentials' -o -name '*.aws-config' | sort) /dev/null
seed terraform 3 $(find ../testdata -name '*.json' -path '*terraform*' -o -name '*.tfstate' -o -name '*.tf.json' | sort) /dev/null
seed cloudformation_dump 3 $(find ../testdata -name '*.json' \( -path '*cloudformation*' -o -path '*dump*' -o -name '*.template*' \) | sort) /dev/null
seed cloudformation_yaml 3 $(find ../testdata -name '*.yaml' -o -name '*.yml' -o -name '*.template' | sort) /dev/null
