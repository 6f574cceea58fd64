"""Argon2id at its smallest cost, for the tests that are not about the cost itself.

Every app hashes a dummy password at start-up, and at the shipped cost (19 MiB, 2 passes) that
is about 30 ms per test. 8 KiB and 1 pass run the same code path for a thousandth of the work.
Each suite's conftest swaps it in; the tests about the shipped parameters swap it back out.
"""

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

CHEAP_PASSWORD_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
