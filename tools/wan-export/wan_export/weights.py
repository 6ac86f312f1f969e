"""Files written while hashing them (temp file + rename)."""
import hashlib
import os

ALIGN = 64


class HashingWriter:
    def __init__(self, path):
        self.path, self.tmp = path, path + ".tmp"
        self.f = open(self.tmp, "wb")
        self.sha = hashlib.sha256()
        self.offset = 0

    def write(self, data):
        pad = -self.offset % ALIGN
        if pad:
            self._put(b"\0" * pad)
        start = self.offset
        self._put(data)
        return start

    def _put(self, b):
        self.f.write(b)
        self.sha.update(b)
        self.offset += len(b)

    def close(self):
        self.f.close()
        os.replace(self.tmp, self.path)
        return self.sha.hexdigest()


def sha256_file(path):
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()
