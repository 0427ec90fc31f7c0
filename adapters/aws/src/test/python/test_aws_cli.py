"""The README's AWS CLI examples, run with Debian's awscli against the real server."""
import datetime
import json
import os
import re
import subprocess


def readme_examples():
    with open(os.path.join(os.environ["TALLY_PROJECT_DIR"], "README.md")) as f:
        return [line.strip() for line in f if line.startswith("aws --endpoint-url ")]


def test_the_readme_aws_cli_examples_run(endpoint, credentials):
    examples = readme_examples()
    assert len(examples) >= 5, "the README lost its AWS CLI examples"
    env = dict(os.environ, AWS_ACCESS_KEY_ID=credentials[0], AWS_SECRET_ACCESS_KEY=credentials[1],
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    month = datetime.datetime.utcnow().date().replace(day=1)
    ids = {}
    outputs = []
    for example in examples:
        command = example.replace("http://localhost:50080", endpoint)
        command = re.sub(r"<(plan|key)-id>", lambda m: ids[m.group(1)], command)
        command = command.replace("2026-12-01", month.isoformat()).replace("2026-12-31", datetime.datetime.utcnow().date().isoformat())
        done = subprocess.run(command.split(" ") + ["--output", "json"], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, command + "\n" + done.stderr
        output = json.loads(done.stdout) if done.stdout.strip() else {}
        outputs.append(output)
        if "create-usage-plan " in command + " ":
            ids["plan"] = output["id"]
        if "create-api-key " in command:
            ids["key"] = output["id"]
    usage = next(o for o, e in zip(outputs, examples) if "get-usage " in e)
    assert usage["items"][ids["key"]][datetime.datetime.utcnow().day - 1] == [0, 500]
