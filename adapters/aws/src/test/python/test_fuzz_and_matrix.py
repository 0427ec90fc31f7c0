"""The AWS door under random and boundary input, and under every kind of credential, for every operation
Tally serves, read from the model it ships (so a newly served operation is covered without editing this).

Random inputs are built from botocore's shapes with parameter validation off, so what reaches the server is
what a careless or hostile client could send: empty, huge and non-ASCII strings, numbers at their edges, enum
values the model does not define, long lists. Nothing may be a 5xx, and nothing may hang; a batch of
requests that were all refused changes nothing the reads show.
"""
import datetime
import json
import os
import random
import uuid

import boto3
import botocore
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

import tally_grpc

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "tally", "aws", "models")


def served_operations(service):
    with open(os.path.join(MODELS, service + ".json")) as f:
        return sorted(json.load(f)["operations"])


SERVICES = ["apigateway", "cognito-identity", "cognito-sync", "license-manager"]
SERVED = [(service, operation) for service in SERVICES for operation in served_operations(service)]
SEEDS = [1, 2, 3, random.SystemRandom().randrange(1 << 30)]
print("test_fuzz_and_matrix random seed:", SEEDS[-1])


def client(endpoint, access_key_id=None, secret=None, signed=True, service="apigateway"):
    session = boto3.session.Session(aws_access_key_id=access_key_id or "unused", aws_secret_access_key=secret or "unused",
                                    region_name="us-east-1")
    config = Config(parameter_validation=False, retries={"max_attempts": 1}, read_timeout=30, connect_timeout=10)
    if not signed:
        config = config.merge(Config(signature_version=UNSIGNED))
    made = session.client(service, endpoint_url=endpoint, config=config)
    if signed and service == "cognito-identity":
        made.meta.events.register_first("choose-signer.cognito-identity.GetId", lambda **_: "v4")
    return made


def value(shape, rnd, ids, depth=0):
    kind = shape.type_name
    if kind == "string":
        choices = ["", "x" * rnd.randint(1, 3000), "é中😀\u202e" * rnd.randint(1, 40), "\x00\n", "../..", "%2F%2e", rnd.choice(ids)]
        if shape.enum:
            choices += list(shape.enum) * 2
        return rnd.choice(choices)
    if kind in ("integer", "long"):
        return rnd.choice([0, 1, -1, 2 ** 31 - 1, -2 ** 31, 2 ** 63 - 1, rnd.randint(-10 ** 6, 10 ** 6)])
    if kind in ("double", "float"):
        return rnd.choice([0.0, -1.0, 1e308, 5e-324, rnd.random() * 1e6])
    if kind == "boolean":
        return rnd.choice([True, False])
    if kind == "timestamp":
        return rnd.choice([0, 253402300800, -62135596801, datetime.datetime.utcnow()])
    if kind == "list":
        count = rnd.choice([0, 1, 3, 1000])
        member = value(shape.member, rnd, ids, depth + 1) if depth < 3 else ""
        return [member] * count
    if kind == "map":
        return {} if depth >= 3 else {value(shape.key, rnd, ids, depth + 1): value(shape.value, rnd, ids, depth + 1)}
    if kind == "structure":
        if depth >= 3:
            return {}
        members = {}
        for name, member in shape.members.items():
            if name in shape.required_members or rnd.random() < 0.6:
                members[name] = value(member, rnd, ids, depth + 1)
        return members
    return None


def snapshot(clients, plan):
    """What the reads show: every plan, every key (with its value), the plan's usage today, every identity
    pool with its usage, and every license with its usage."""
    apigw, identity, sync, lm = (clients[s] for s in SERVICES)
    today = datetime.date.today().isoformat()
    try:
        usage = apigw.get_usage(usagePlanId=plan["id"], startDate=today, endDate=today).get("items")
    except ClientError as gone:  # a fuzzed DeleteUsagePlan may have been accepted
        usage = gone.response["Error"]["Code"]
    licenses = lm.list_licenses(MaxResults=100)["Licenses"]
    return (apigw.get_usage_plans(limit=500)["items"], apigw.get_api_keys(limit=500, includeValues=True)["items"], usage,
            identity.list_identity_pools(MaxResults=60)["IdentityPools"], sync.list_identity_pool_usage(MaxResults=60)["IdentityPoolUsages"],
            licenses, [lm.get_license_usage(LicenseArn=l["LicenseArn"])["LicenseUsage"] for l in licenses])


def test_random_and_boundary_input_to_every_operation_is_never_a_5xx(endpoint, credentials, plan, key, pool, license_manager):
    clients = {service: client(endpoint, *credentials, service=service) for service in SERVICES}
    readers = {service: client(endpoint, *credentials, service=service) for service in SERVICES}
    license_arn = license_manager.list_licenses(MaxResults=1).get("Licenses", [{"LicenseArn": "arn:aws:license-manager::1:license:l-0"}])
    ids = [plan["id"], key["id"], key["value"], "AKIA" + "A" * 16, datetime.date.today().isoformat(), pool,
           "us-east-1:" + str(uuid.uuid4()), license_arn[0]["LicenseArn"] if license_arn else "arn:aws:license-manager::1:license:l-0"]
    sent = 0
    failures = []
    for service, operation in SERVED:
        fuzzed = clients[service]
        model = fuzzed.meta.service_model.operation_model(operation)
        method = getattr(fuzzed, botocore.xform_name(operation))
        for seed in SEEDS:
            rnd = random.Random(seed * 31 + len(operation))
            before = snapshot(readers, plan)
            accepted = False
            for _ in range(6):
                params = value(model.input_shape, rnd, ids) if model.input_shape else {}
                try:
                    method(**params)
                    sent += 1
                    accepted = True
                except ClientError as refused:
                    sent += 1
                    status = refused.response["ResponseMetadata"]["HTTPStatusCode"]
                    if status >= 500 or not refused.response["Error"].get("Message"):
                        failures.append((operation, seed, status, refused.response["Error"], str(params)[:300]))
                except (BotoCoreError, ValueError, TypeError):
                    pass  # botocore could not even build the request: nothing reached the server
            if not accepted and snapshot(readers, plan) != before:
                failures.append((operation, seed, "every request was refused, yet a read changed"))
    assert not failures, failures
    assert sent > len(SERVED) * len(SEEDS) * 3, "most fuzzed requests must reach the server"


@pytest.fixture(scope="module")
def kinds_of_credentials(endpoint, credentials):
    """Every kind of credential the door must refuse, with the error AWS gives for each."""
    admin = tally_grpc.Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"])
    deleted = admin.create_access_key("to be deleted")
    admin.delete_access_key(deleted[0])
    key_id, token = admin.create_developer_key("to be revoked " + uuid.uuid4().hex[:6])
    orphaned = tally_grpc.Tally(os.environ["TALLY_GRPC_TARGET"], token).create_access_key("dies with its developer key")
    admin.revoke_developer_key(key_id)
    kinds = [
        ("no signature", dict(signed=False), "MissingAuthenticationTokenException"),
        ("an unknown access key", dict(access_key_id="AKIA" + "B" * 16, secret=credentials[1]), "UnrecognizedClientException"),
        ("a wrong secret", dict(access_key_id=credentials[0], secret="x" * 40), "InvalidSignatureException"),
        ("a deleted access key", dict(access_key_id=deleted[0], secret=deleted[1]), "UnrecognizedClientException"),
        ("an access key of a revoked developer key", dict(access_key_id=orphaned[0], secret=orphaned[1]), "UnrecognizedClientException"),
    ]
    return [(what, {service: client(endpoint, service=service, **how) for service in SERVICES}, expected) for what, how, expected in kinds]


def test_every_operation_refuses_every_kind_of_bad_credential(kinds_of_credentials, plan, key):
    wrong = []
    for service, operation in SERVED:
        for what, callers, expected in kinds_of_credentials:
            caller = callers[service]
            model = caller.meta.service_model.operation_model(operation)
            params = {name: (plan["id"] if "lan" in name else key["id"]) for name in (model.input_shape.required_members if model.input_shape else [])}
            params = {name: v for name, v in params.items() if model.input_shape.members[name].type_name == "string"}
            try:
                getattr(caller, botocore.xform_name(operation))(**params)
                wrong.append((operation, what, "accepted"))
            except ClientError as refused:
                got = (refused.response["ResponseMetadata"]["HTTPStatusCode"], refused.response["Error"]["Code"])
                if got != (403, expected):
                    wrong.append((operation, what, got))
            except BotoCoreError as unsent:
                wrong.append((operation, what, "not sent: " + str(unsent)))
    assert not wrong, wrong
