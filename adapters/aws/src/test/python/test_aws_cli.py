"""The README's AWS examples, run against the real server: each AWS CLI line with Debian's awscli, and each
boto3 session as written."""
import datetime
import json
import os
import re
import shlex
import subprocess

from tally_grpc import Tally


def readme():
    with open(os.path.join(os.environ["TALLY_PROJECT_DIR"], "README.md")) as f:
        return f.read()


def test_the_readme_aws_cli_examples_run(endpoint, credentials):
    examples = [line.strip() for line in readme().splitlines() if line.startswith("aws --endpoint-url ")]
    assert len(examples) >= 15, "the README lost its AWS CLI examples"
    env = dict(os.environ, AWS_ACCESS_KEY_ID=credentials[0], AWS_SECRET_ACCESS_KEY=credentials[1],
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    month = datetime.datetime.utcnow().date().replace(day=1)
    ids = {}
    outputs = []
    for example in examples:
        command = example.replace("http://localhost:50080", endpoint)
        command = re.sub(r"<([a-z-]+)>", lambda m: ids[m.group(1)], command)
        command = command.replace("2026-12-01", month.isoformat()).replace("2026-12-31", datetime.datetime.utcnow().date().isoformat())
        done = subprocess.run(shlex.split(command) + ["--output", "json"], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, command + "\n" + done.stderr
        output = json.loads(done.stdout) if done.stdout.strip() else {}
        outputs.append(output)
        if "create-usage-plan " in command + " ":
            ids["plan-id"] = output["id"]
        if "create-api-key " in command:
            ids["key-id"] = output["id"]
        if "create-identity-pool " in command:
            ids["pool-id"] = output["IdentityPoolId"]
            # The AWS CLI sends GetId unsigned; the identity comes from the other door, as the README says.
            ids["identity-id"] = Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"]).create_identity(output["IdentityPoolId"])
        if "create-license " in command:
            ids["license-arn"] = output["LicenseArn"]
        if "get-license " in command:
            ids["key-fingerprint"] = output["License"]["Issuer"]["KeyFingerprint"]
    result = dict(zip((e.split(" ")[3] + " " + e.split(" ")[4] for e in examples), outputs))
    assert result["apigateway get-usage"]["items"][ids["key-id"]][datetime.datetime.utcnow().day - 1] == [0, 500]
    assert [i["IdentityId"] for i in result["cognito-identity list-identities"]["Identities"]] == [ids["identity-id"]]
    assert result["cognito-sync describe-identity-usage"]["IdentityUsage"]["DataStorage"] == 0
    assert result["license-manager get-license-usage"]["LicenseUsage"]["EntitlementUsages"][0]["ConsumedValue"] == "2"


def test_the_readme_boto3_sessions_run(endpoint, credentials):
    blocks = re.findall(r"```python\n(.*?)```", readme(), re.S)
    runnable = [b for b in blocks if 'aws_access_key_id="AKIA..."' in b]
    assert len(runnable) == 3, "the README has one worked boto3 session per domain"
    suffix = datetime.datetime.utcnow().strftime("%H%M%S%f")
    for block in runnable:
        code = (block.replace('"AKIA..."', repr(credentials[0])).replace('aws_secret_access_key="..."', "aws_secret_access_key=" + repr(credentials[1]))
                .replace("http://localhost:50080", endpoint).replace('"OFF-1"', repr("OFF-" + suffix)))
        namespace = {}
        exec(compile(code, "README.md", "exec"), namespace)
        if "describe_identity_usage" in code:
            assert namespace["sync"].describe_identity_usage(IdentityPoolId=namespace["pool"], IdentityId=namespace["me"])[
                "IdentityUsage"]["DataStorage"] == 9
        if "get_license_usage" in code:
            assert namespace["lm"].get_license_usage(LicenseArn=namespace["arn"])["LicenseUsage"]["EntitlementUsages"][0]["ConsumedValue"] == "0"
