#!/usr/bin/env bash
# Redis's used_memory for the data of DictionaryMemory: 2^20 keys "key:%012d" (16 bytes) with
# 100-byte values, loaded through redis-cli --pipe into a private redis-server on 127.0.0.1.
# Usage: bash benchmarks/src/main/java/dev/cairn/benchmarks/dictionary/redis-memory.sh
set -euo pipefail
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --logfile "$dir/redis.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "keys before loading: $(redis-cli -p "$port" dbsize)"
before=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '/^used_memory:/{print $2}')
python3 - <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import sys, random
out = sys.stdout.buffer
value = bytes(random.Random(1).randrange(256) for _ in range(100))
for i in range(1 << 20):
    key = b"key:%012d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$16\r\n" + key + b"\r\n$100\r\n" + value + b"\r\n")
PY
after=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '/^used_memory:/{print $2}')
keys=$(redis-cli -p "$port" dbsize)
echo "redis-server $(redis-server --version | awk '{print $3}'): keys=$keys used_memory before=$before after=$after"
echo "bytes per key: $(( (after - before) / keys ))"
