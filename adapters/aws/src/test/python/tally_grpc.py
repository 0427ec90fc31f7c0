"""Just enough of tally.v1 over a real gRPC channel for the cross-door tests: two RPCs, their messages
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
