"""Just enough of tally.v1 over a real gRPC channel for the cross-door tests: a few RPCs, their messages
encoded and decoded by hand from the field numbers in proto/src/main/proto/tally/v1."""
import grpc


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number, value):
    if isinstance(value, str):
        data = value.encode()
        return _varint(number << 3 | 2) + _varint(len(data)) + data
    return _varint(number << 3) + _varint(value)


def _message(number, data):
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _fields(data):
    """Yields (number, value) of a message: ints for varints, bytes for length-delimited fields."""
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            length, i = _read_varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError("unexpected wire type %d" % wire)
        yield number, value


def _read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


class Tally:
    def __init__(self, target, token):
        self.channel = grpc.insecure_channel(target)
        self.metadata = (("authorization", "Bearer " + token),)

    def _call(self, method, request):
        call = self.channel.unary_unary(method, request_serializer=None, response_deserializer=None)
        return call(request, metadata=self.metadata, timeout=30)

    def consume_quota(self, plan_id, api_key):
        """Returns the decision: 1 allowed, 2 quota exceeded, 3 throttled, 4 key rejected."""
        response = self._call("/tally.v1.UsagePlanService/ConsumeQuota", _field(1, plan_id) + _field(3, api_key))
        return dict(_fields(response)).get(1, 0)

    def get_usage(self, plan_id, start, end):
        """Returns {key id: [(date, used, remaining or None), ...]}."""
        response = self._call("/tally.v1.UsageService/GetUsage", _field(1, plan_id) + _field(3, start) + _field(4, end))
        items = {}
        for number, entry in _fields(response):
            if number != 5:
                continue
            entry = dict(_fields(entry))
            days = []
            for day_number, day in _fields(entry.get(2, b"")):
                fields = dict(_fields(day))
                days.append((fields[1].decode(), fields.get(2, 0), fields.get(3)))
            items[entry[1].decode()] = days
        return items

    def create_developer_key(self, name):
        """Returns (key id, token)."""
        fields = dict(_fields(self._call("/tally.v1.AccessService/CreateDeveloperKey", _field(1, name))))
        return fields[1].decode(), fields[2].decode()

    def revoke_developer_key(self, key_id):
        self._call("/tally.v1.AccessService/RevokeDeveloperKey", _field(1, key_id))

    def create_access_key(self, description):
        """Returns (access key id, secret), acting as this client's developer key."""
        fields = dict(_fields(self._call("/tally.v1.AccessService/CreateAccessKey", _field(1, description))))
        return dict(_fields(fields[1]))[1].decode(), fields[2].decode()

    def delete_access_key(self, access_key_id):
        self._call("/tally.v1.AccessService/DeleteAccessKey", _field(1, access_key_id))

    def create_identity_pool(self, name):
        response = dict(_fields(self._call("/tally.v1.SyncService/CreateIdentityPool", _field(1, name))))
        return dict(_fields(response[1]))[1].decode()

    def create_identity(self, pool_id):
        return dict(_fields(self._call("/tally.v1.SyncService/CreateIdentity", _field(1, pool_id))))[1].decode()

    def issue_identity_token(self, pool_id, identity_id):
        """Returns (token, (access key id, secret, session token)): the token and its temporary AWS credentials."""
        fields = dict(_fields(self._call("/tally.v1.AccessService/IssueIdentityToken", _field(1, pool_id) + _field(2, identity_id))))
        credentials = dict(_fields(fields[3]))
        return fields[1].decode(), (credentials[1].decode(), credentials[2].decode(), credentials[3].decode())

    def describe_identity_usage(self, pool_id, identity_id):
        """Returns (dataset count, data storage)."""
        response = dict(_fields(self._call("/tally.v1.UsageService/DescribeIdentityUsage", _field(1, pool_id) + _field(2, identity_id))))
        usage = dict(_fields(response[1]))
        return usage.get(4, 0), usage.get(5, 0)

    def checkout_license(self, license_arn, entitlement, amount, client_token):
        """A provisional checkout of `amount` units (unit Count); returns its consumption token."""
        item = _field(1, entitlement) + _field(2, str(amount)) + _field(3, 1)
        request = _field(1, license_arn) + _field(2, 1) + _message(3, item) + _field(4, client_token)
        return dict(_fields(self._call("/tally.v1.LicenseService/CheckoutLicense", request)))[1].decode()

    def get_license_usage(self, license_arn):
        """Returns {entitlement name: consumed value as a string}."""
        response = dict(_fields(self._call("/tally.v1.UsageService/GetLicenseUsage", _field(1, license_arn))))
        consumed = {}
        for number, entry in _fields(response.get(1, b"")):
            if number == 1:
                fields = dict(_fields(entry))
                consumed[fields[1].decode()] = fields.get(2, b"0").decode()
        return consumed
