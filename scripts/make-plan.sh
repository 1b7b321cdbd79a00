#!/usr/bin/env bash
# Writes the plan JSON Terraform itself makes for a module directory:
#
#   scripts/make-plan.sh MODULE_DIR [OUTPUT.json] [-- EXTRA TERRAFORM PLAN ARGS...]
#
# OUTPUT defaults to MODULE_DIR/plan.json. Needs `terraform` and the AWS
# provider, from the registry or from an offline filesystem mirror (set
# TF_PLUGIN_MIRROR to the folder that holds registry.terraform.io/; by default
# the first folder found that holds terraform-provider-aws for linux_amd64).
#
# The module is planned in a scratch copy, never in place. Nothing reaches AWS:
# a provider override gives fake credentials, skips every validation call and
# plans with -refresh=false, so only data sources would need an endpoint
# (modules that read data sources cannot be planned this way; the fixtures do
# not use them). Tests never run this script: they read the JSON it wrote,
# which is committed beside its module.
set -euo pipefail

module="${1:?usage: make-plan.sh MODULE_DIR [OUTPUT.json] [-- PLAN ARGS...]}"
shift
output="$module/plan.json"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    output="$1"
    shift
fi
[ "${1:-}" = "--" ] && shift

command -v terraform >/dev/null || { echo "make-plan.sh: terraform is not installed" >&2; exit 2; }
mirror="${TF_PLUGIN_MIRROR:-}"
if [ -z "$mirror" ]; then
    provider=$(find / -name 'terraform-provider-aws*' -path '*linux_amd64*' -print -quit 2>/dev/null || true)
    if [ -n "$provider" ]; then
        # .../registry.terraform.io/hashicorp/aws/VERSION/linux_amd64/binary
        mirror="${provider%/registry.terraform.io/*}"
    fi
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -R "$module"/. "$scratch/module"
rm -rf "$scratch/module/.terraform" "$scratch/module/.terraform.lock.hcl" "$scratch/module"/*.tfstate*

if [ -n "$mirror" ]; then
    cat >"$scratch/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
}
RC
    export TF_CLI_CONFIG_FILE="$scratch/terraformrc"
fi

# An override file replaces the attributes it names in a block of the same
# type and name, and adds the block when there is none.
cat >"$scratch/module/zz_plan_override.tf" <<'TF'
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
TF
if ! grep -qs 'provider "aws"' "$module"/*.tf; then
    mv "$scratch/module/zz_plan_override.tf" "$scratch/module/zz_plan_provider.tf"
fi

cd "$scratch/module"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
terraform init -input=false -backend=false >/dev/null
terraform plan -refresh=false -input=false -lock=false -out=plan.out "$@" >/dev/null
cd - >/dev/null
terraform -chdir="$scratch/module" show -json plan.out >"$output"
echo "make-plan.sh: wrote $output ($(wc -c <"$output") bytes)"
