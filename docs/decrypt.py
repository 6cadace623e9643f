#!/usr/bin/env python3
"""Decrypts a lifeboat vault without lifeboat (docs/vault-format.md, section 7).

    python3 decrypt.py VAULT > codes.json

The passphrase is taken from LIFEBOAT_PASSPHRASE, from the first line of the file named by
LIFEBOAT_PASSPHRASE_FILE, from the first line printed by the shell command in
LIFEBOAT_PASSPHRASE_COMMAND, or else asked for on the terminal. It is NFC-normalized and
UTF-8-encoded, as lifeboat does.

The content is printed as indented JSON: the same bytes as `lifeboat export --plaintext --format json`.
Mind where you send it: it holds every backup code in the clear.

Exit status: 0 done; 1 an error (PyNaCl missing, the file cannot be read); 2 bad usage;
3 the vault cannot be opened (not a vault, unsupported version, damaged, wrong passphrase,
key-derivation cost outside the limits) -- the same statuses as lifeboat.

Needs Python 3.6+ and PyNaCl (Debian/Ubuntu: apt install python3-nacl; elsewhere: pip install pynacl).
Every step below cites the clause of docs/vault-format.md it implements.
"""

import getpass
import hashlib
import hmac
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata

PROG = "decrypt.py"

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNOPENABLE = 3

# 2.1 and 2.2: the layout.
MAGIC = b"LIFEBOAT"
FORMAT_VERSION = 1
KDF_ARGON2ID13 = 1
HEADER_BYTES = 60  # bytes 0-59: the header, which is also the associated data (4)
CHECK_OFFSET = 60  # bytes 60-91: the key check (3.3)
CHECKSUM_OFFSET = 92  # bytes 92-123: SHA-256 of bytes 0-91 (2.2)
CIPHERTEXT_OFFSET = 124  # bytes 124-: ciphertext, then the 16-byte tag (4)
TAG_BYTES = 16
MINIMUM_FILE_BYTES = CIPHERTEXT_OFFSET + TAG_BYTES  # 140

# 3.1: the cap, and libsodium's minimum. Nothing outside these limits is ever computed.
MIN_PASSES, CAP_PASSES = 1, 20
MIN_MEMORY_KIB, CAP_MEMORY_KIB = 8, 1024 * 1024

# 5.2: a time is UTC, to the second, with an optional fraction. ASCII digits only, whole string.
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z", re.ASCII)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# 5.2: the content version this decoder reads (and every older one); device ids; the legacy spend id.
CONTENT_VERSION = 2
DEVICE = re.compile(r"[0-9a-f]{16}", re.ASCII)
LEGACY_MARK_ID = "0000000000000000"


class Unopenable(Exception):
    """The vault cannot be opened (exit status 3). `kind` is lifeboat's name for the reason."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class Failure(Exception):
    """Any other error: `status` is the exit status, `hint` an optional second line."""

    def __init__(self, message, status=EXIT_ERROR, hint=None):
        super().__init__(message)
        self.status = status
        self.hint = hint


def damaged(what=None):
    if what is None:
        return Unopenable("damaged", "the vault is damaged or was tampered with")
    return Unopenable("damaged", "the vault is damaged: " + what)


# --- 2.3, steps 1 to 5: the header, before any key derivation -----------------------------------------


def parse_header(data):
    """Checks steps 1 to 5 and returns (header, salt, nonce, passes, memory_kib)."""
    # Step 1: the magic.
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise Unopenable("not-a-vault", "this file is not a lifeboat vault")
    # Step 2: the version.
    if len(data) < 10:
        raise damaged()
    (version,) = struct.unpack_from(">H", data, 8)
    if version != FORMAT_VERSION:
        raise Unopenable(
            "unsupported-version",
            "this vault has format version %d, which this script cannot read" % version,
        )
    # Step 3: the length.
    if len(data) < MINIMUM_FILE_BYTES:
        raise damaged()
    # Step 4: the checksum over the header and the key check.
    if not hmac.compare_digest(hashlib.sha256(data[:CHECKSUM_OFFSET]).digest(), data[CHECKSUM_OFFSET:CIPHERTEXT_OFFSET]):
        raise damaged()
    # Step 5: the key-derivation parameters, then the cost against the cap (3.1).
    kdf, passes, memory_kib, parallelism = struct.unpack_from(">BIIB", data, 10)
    if kdf != KDF_ARGON2ID13 or parallelism != 1:
        raise damaged()
    if not (MIN_PASSES <= passes <= CAP_PASSES and MIN_MEMORY_KIB <= memory_kib <= CAP_MEMORY_KIB):
        raise Unopenable(
            "kdf-limit",
            "the vault asks for a key-derivation cost (%d KiB, %d passes) outside the limits this script computes"
            % (memory_kib, passes),
        )
    return data[:HEADER_BYTES], data[20:36], data[36:60], passes, memory_kib


# --- 3.2 and 3.3, 4, 2.3 steps 6 to 8 ------------------------------------------------------------------


def decrypt(data, passphrase):
    """Decrypts a whole vault file with the passphrase's bytes (already NFC, UTF-8). Returns the content."""
    import nacl.bindings
    import nacl.exceptions
    import nacl.pwhash

    header, salt, nonce, passes, memory_kib = parse_header(data)
    # 3.2: Argon2id v1.3, t = passes, m = memory KiB (libsodium takes bytes), p = 1, 64 bytes of output.
    output = nacl.pwhash.argon2id.kdf(64, passphrase, salt, opslimit=passes, memlimit=memory_kib * 1024)
    encryption_key, check_key = output[:32], output[32:]
    # Step 6, 3.3: the key check is BLAKE2b-256 of the header, keyed with the check key.
    check = hashlib.blake2b(header, key=check_key, digest_size=32).digest()
    if not hmac.compare_digest(check, data[CHECK_OFFSET:CHECKSUM_OFFSET]):
        raise Unopenable("wrong-passphrase", "wrong passphrase")
    # Step 7, 4: XChaCha20-Poly1305 (IETF), the header as associated data.
    try:
        plaintext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            data[CIPHERTEXT_OFFSET:], header, nonce, encryption_key
        )
    except nacl.exceptions.CryptoError:
        raise damaged() from None
    # Step 8, 5: the content.
    return parse_content(plaintext)


# --- 5: the content ------------------------------------------------------------------------------------


def _no_constants(name):
    raise ValueError("not JSON: " + name)


def parse_content(plaintext):
    """5.1 to 5.3: UTF-8 JSON of the schema, content version 1 or 2. Returns it as version 2, with exactly
    the documented keys in their order (5.2): a version-1 content reads as one whose stamps are all [0, ""]."""
    try:
        # utf-8-sig: like lifeboat (a WHATWG TextDecoder), skip one leading byte-order mark.
        value = json.loads(plaintext.decode("utf-8-sig"), parse_constant=_no_constants)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        raise damaged("its content is not valid UTF-8 JSON") from None
    root = _record(value, "the content")
    version = root.get("version", 1)
    if version not in (1, CONTENT_VERSION) or isinstance(version, bool):
        if isinstance(version, int) and not isinstance(version, bool) and version > CONTENT_VERSION:
            raise Unopenable("unsupported-version", "this vault has content version %d, which this script cannot read" % version)
        raise damaged("the content version is not a known number")
    clock = {} if version == 1 else _clock(root.get("clock"))
    accounts = [_account(item, "account %d" % (i + 1)) for i, item in enumerate(_array(root.get("accounts"), "accounts"))]
    tombstones = []
    for i, item in enumerate(_array(root.get("tombstones"), "tombstones")):
        where = "tombstone %d" % (i + 1)
        entry = _record(item, where)
        tombstone = {"id": _text(entry.get("id"), where + " id"), "removedAt": _time(entry.get("removedAt"), where + " removedAt")}
        if entry.get("batches") is not None:
            tombstone["batches"] = [_text(b, "%s batch %d" % (where, j + 1)) for j, b in enumerate(_array(entry["batches"], where + " batches"))]
        tombstones.append(tombstone)
    names, ids = set(), set()
    for i, account in enumerate(accounts):
        # 5.3: no control, format, separator, surrogate or private-use character in a name.
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co") for ch in account["name"]):
            raise damaged("account %d name is not a valid account name" % (i + 1))
        # 5.3: names compare as NFC, lower case, NFC again.
        key = unicodedata.normalize("NFC", unicodedata.normalize("NFC", account["name"]).lower())
        if key in names:
            raise damaged('two accounts are named "%s"' % account["name"])
        names.add(key)
        for id_ in [account["id"]] + [batch["id"] for batch in account["batches"]]:
            if id_ in ids:
                raise damaged("an id is used twice")
            ids.add(id_)
    return {"version": CONTENT_VERSION, "clock": clock, "accounts": accounts, "tombstones": tombstones}


def _clock(value):
    if value is None:
        return {}
    clock = _record(value, "clock")
    result = {}
    for device in sorted(clock):
        if not DEVICE.fullmatch(device):
            raise damaged("clock has a malformed device id")
        result[device] = _counter(clock[device], "clock")
    return result


def _counter(value, where):
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**53 - 1:
        raise damaged(where + " has a counter that is not a whole number")
    return value


def _stamp(value, where):
    """5.2: a stamp is [counter, device id]; [0, ""] is the stamp of content older than stamps."""
    if value is None:
        return [0, ""]
    if not isinstance(value, list) or len(value) != 2:
        raise damaged(where + " is not a stamp")
    counter = _counter(value[0], where)
    device = value[1]
    if not isinstance(device, str) or not (counter == 0 if device == "" else DEVICE.fullmatch(device)):
        raise damaged(where + " is not a stamp")
    return [counter, device]


def _account(value, where):
    account = _record(value, where)
    stamps = account.get("stamps")
    stamps = {} if stamps is None else _record(stamps, where + " stamps")
    if account.get("stamps") is not None:
        for field in ("name", "service", "username", "note"):
            if stamps.get(field) is None:
                raise damaged("%s stamps %s is not a stamp" % (where, field))
    return {
        "id": _text(account.get("id"), where + " id"),
        "name": _text(account.get("name"), where + " name"),
        "service": _optional_text(account.get("service"), where + " service"),
        "username": _optional_text(account.get("username"), where + " username"),
        "note": _optional_text(account.get("note"), where + " note"),
        "createdAt": _time(account.get("createdAt"), where + " createdAt"),
        "stamps": {field: _stamp(stamps.get(field), "%s stamps %s" % (where, field)) for field in ("name", "service", "username", "note")},
        "batches": [_batch(item, "%s batch %d" % (where, i + 1)) for i, item in enumerate(_array(account.get("batches"), where + " batches"))],
    }


def _spent_at(marks):
    """5.2: a code is spent from the earliest of its spends that was not undone."""
    standing = [mark["at"] for mark in marks if mark["undoneAt"] is None]
    return min(standing, key=_instant) if standing else None


def _instant(time):
    whole, _, fraction = time[:-1].partition(".")
    return (whole, int((fraction + "000000000")[:9]))


def _batch(value, where):
    batch = _record(value, where)
    codes = []
    for i, item in enumerate(_array(batch.get("codes"), where + " codes")):
        code_where = "%s code %d" % (where, i + 1)
        code = _record(item, code_where)
        entry = {"code": _text(code.get("code"), code_where), "spentAt": _optional_time(code.get("spentAt"), code_where + " spentAt")}
        if code.get("marks") is not None:
            marks = []
            for j, raw in enumerate(_array(code["marks"], code_where + " marks")):
                mark_where = "%s mark %d" % (code_where, j + 1)
                mark = _record(raw, mark_where)
                marks.append({"id": _text(mark.get("id"), mark_where + " id"), "at": _time(mark.get("at"), mark_where + " at"),
                              "undoneAt": _optional_time(mark.get("undoneAt"), mark_where + " undoneAt")})
            if _spent_at(marks) != entry["spentAt"]:
                raise damaged(code_where + " spentAt disagrees with its spends")
            # 5.2: spends that say no more than spentAt are left out.
            implied = (not marks and entry["spentAt"] is None) or (
                len(marks) == 1 and marks[0]["id"] == LEGACY_MARK_ID and marks[0]["undoneAt"] is None and marks[0]["at"] == entry["spentAt"])
            if not implied:
                entry["marks"] = marks
        codes.append(entry)
    return {
        "id": _text(batch.get("id"), where + " id"),
        "addedAt": _time(batch.get("addedAt"), where + " addedAt"),
        "seq": _stamp(batch.get("seq"), where + " seq"),
        "source": _text(batch.get("source"), where + " source"),
        "supersededAt": _optional_time(batch.get("supersededAt"), where + " supersededAt"),
        "printedAt": _optional_time(batch.get("printedAt"), where + " printedAt"),
        "copiedAt": _optional_time(batch.get("copiedAt"), where + " copiedAt"),
        "codes": codes,
    }


def _record(value, where):
    if not isinstance(value, dict):
        raise damaged(where + " is not an object")
    return value


def _array(value, where):
    if not isinstance(value, list):
        raise damaged(where + " is not a list")
    return value


def _text(value, where):
    if not isinstance(value, str) or value == "":
        raise damaged(where + " is not a non-empty string")
    return value


def _optional_text(value, where):
    return None if value is None else _text(value, where)


def _time(value, where):
    if not isinstance(value, str) or not TIME.fullmatch(value):
        raise damaged(where + " is not a UTC time")
    return value


def _optional_time(value, where):
    return None if value is None else _time(value, where)


def content_to_json(content):
    """The export's bytes: JSON indented by 2, non-ASCII as is, and (like JavaScript's JSON.stringify)
    a lone surrogate as a \\u escape, since it cannot be written as UTF-8."""
    text = json.dumps(content, indent=2, ensure_ascii=False)
    return LONE_SURROGATE.sub(lambda match: "\\u%04x" % ord(match.group()), text) + "\n"


# --- The passphrase, as lifeboat reads it ----------------------------------------------------------------


def _environment(name):
    if os.supports_bytes_environ:
        raw = os.environb.get(name.encode("ascii"))
        return None if raw is None else raw.decode("utf-8", errors="replace")
    return os.environ.get(name)


def _first_line(text):
    """The first line, without its line break (a lone \\n, or \\r\\n)."""
    end = text.find("\n")
    line = text if end < 0 else text[:end]
    return line[:-1] if end >= 0 and line.endswith("\r") else line


def read_passphrase():
    """Returns the passphrase's bytes: from one of the variables, or a prompt; NFC, then UTF-8 (3.2)."""
    names = ["LIFEBOAT_PASSPHRASE", "LIFEBOAT_PASSPHRASE_FILE", "LIFEBOAT_PASSPHRASE_COMMAND"]
    values = [_environment(name) for name in names]
    given = [name for name, value in zip(names, values) if value]
    if len(given) > 1:
        raise Failure("only one of %s may be set" % ", ".join(given), EXIT_USAGE, "unset all but one of " + ", ".join(names))
    value, file, command = values
    if value:
        passphrase = _first_line(value)
    elif file:
        try:
            with open(file, "rb") as stream:
                passphrase = _first_line(stream.read().decode("utf-8", errors="replace"))
        except OSError as error:
            raise Failure("cannot read the passphrase file named by LIFEBOAT_PASSPHRASE_FILE (%s)" % _errno_name(error)) from None
    elif command:
        result = subprocess.run(["/bin/sh", "-c", command], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        if result.returncode != 0:
            raise Failure("the command in LIFEBOAT_PASSPHRASE_COMMAND failed (exit status %d)" % result.returncode)
        passphrase = _first_line(result.stdout.decode("utf-8", errors="replace"))
    else:
        if os.name == "posix":
            try:
                open("/dev/tty").close()
            except OSError:
                raise Failure(
                    "no passphrase given and no terminal to ask on",
                    EXIT_USAGE,
                    "set LIFEBOAT_PASSPHRASE, LIFEBOAT_PASSPHRASE_FILE or LIFEBOAT_PASSPHRASE_COMMAND",
                ) from None
        passphrase = getpass.getpass("Passphrase: ")
    if passphrase == "":
        raise Failure("the passphrase is empty")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _errno_name(error):
    import errno

    return errno.errorcode.get(error.errno, "error") if error.errno else "error"


# --- The command ---------------------------------------------------------------------------------------


def _say(kind, message):
    sys.stderr.write("%s: %s: %s\n" % (PROG, kind, message))


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__.lstrip())
        return 0
    if len(argv) != 2:
        _say("error", "expected one argument, the vault file")
        _say("hint", "python3 decrypt.py VAULT > codes.json")
        return EXIT_USAGE
    vault = argv[1]
    if importlib.util.find_spec("nacl") is None:  # said before the prompt; imported only when needed
        _say("error", "this script needs PyNaCl")
        _say("hint", "install it: apt install python3-nacl, or pip install pynacl")
        return EXIT_ERROR
    try:
        try:
            with open(vault, "rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            raise Failure("no vault at " + vault) from None
        except OSError as error:
            raise Failure("cannot read %s (%s)" % (vault, _errno_name(error))) from None
        parse_header(data)  # steps 1 to 5 first: a file that is no vault is said so before any prompt
        content = decrypt(data, read_passphrase())
        output = content_to_json(content).encode("utf-8")
    except Unopenable as error:
        _say("error", str(error))
        backup = vault + ".backup"
        if error.kind in ("damaged", "not-a-vault", "kdf-limit") and os.path.exists(backup):
            _say("hint", "a backup copy is at %s: try python3 decrypt.py %s" % (backup, backup))
        elif error.kind == "unsupported-version":
            _say("hint", "a newer lifeboat may read it; see docs/vault-format.md for the format versions")
        return EXIT_UNOPENABLE
    except Failure as error:
        _say("error", str(error))
        if error.hint:
            _say("hint", error.hint)
        return error.status
    except KeyboardInterrupt:
        return 130
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
