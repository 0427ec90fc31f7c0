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
