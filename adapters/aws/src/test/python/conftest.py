"""The outside-client suite: boto3, botocore and a plain gRPC channel against a real Tally server.

The server is started by the Java side (AwsOutsideClientsIT), which passes its addresses and credentials
in the environment: TALLY_AWS_ENDPOINT, TALLY_GRPC_TARGET, TALLY_ADMIN_TOKEN, TALLY_ACCESS_KEY_ID and
TALLY_SECRET_ACCESS_KEY.
"""
import os
import uuid

import boto3
import pytest


def setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(name + " is not set: run this suite through AwsOutsideClientsIT (./mvnw verify)")
    return value


@pytest.fixture(scope="session")
def endpoint():
    return setting("TALLY_AWS_ENDPOINT")


@pytest.fixture(scope="session")
def credentials():
    return setting("TALLY_ACCESS_KEY_ID"), setting("TALLY_SECRET_ACCESS_KEY")


@pytest.fixture(scope="session")
def apigw(endpoint, credentials):
    session = boto3.session.Session(aws_access_key_id=credentials[0], aws_secret_access_key=credentials[1],
                                    region_name="us-east-1")
    return session.client("apigateway", endpoint_url=endpoint,
                          config=boto3.session.Config(retries={"max_attempts": 1}))


def every_page(call, items, **kwargs):
    """Every item of a NextToken-paged operation that botocore has no paginator for, following the tokens."""
    found, token = [], None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        found += page[items]
        token = page.get("NextToken")
        if not token:
            return found


def aws_client(service, endpoint, credentials, session_token=None):
    session = boto3.session.Session(aws_access_key_id=credentials[0], aws_secret_access_key=credentials[1],
                                    aws_session_token=session_token, region_name="us-east-1")
    return session.client(service, endpoint_url=endpoint, config=boto3.session.Config(retries={"max_attempts": 1}))


@pytest.fixture(scope="session")
def cognito_identity(endpoint, credentials):
    client = aws_client("cognito-identity", endpoint, credentials)
    # AWS SDKs send GetId unsigned (devices call it on AWS); Tally creates identities for developers only.
    client.meta.events.register_first("choose-signer.cognito-identity.GetId", lambda **_: "v4")
    return client


@pytest.fixture(scope="session")
def cognito_sync(endpoint, credentials):
    return aws_client("cognito-sync", endpoint, credentials)


@pytest.fixture(scope="session")
def license_manager(endpoint, credentials):
    return aws_client("license-manager", endpoint, credentials)


@pytest.fixture()
def pool(cognito_identity):
    created = cognito_identity.create_identity_pool(IdentityPoolName="pool " + uuid.uuid4().hex[:8],
                                                    AllowUnauthenticatedIdentities=False)
    yield created["IdentityPoolId"]
    try:
        cognito_identity.delete_identity_pool(IdentityPoolId=created["IdentityPoolId"])
    except cognito_identity.exceptions.ResourceNotFoundException:
        pass


@pytest.fixture()
def plan(apigw):
    created = apigw.create_usage_plan(name="plan-" + uuid.uuid4().hex[:8], quota={"limit": 100, "period": "DAY"})
    yield created
    try:
        apigw.delete_usage_plan(usagePlanId=created["id"])
    except apigw.exceptions.NotFoundException:
        pass


@pytest.fixture()
def key(apigw):
    created = apigw.create_api_key(name="key-" + uuid.uuid4().hex[:8], enabled=True)
    yield created
    try:
        apigw.delete_api_key(apiKey=created["id"])
    except apigw.exceptions.NotFoundException:
        pass
