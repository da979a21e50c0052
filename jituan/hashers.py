"""Password hashing."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). Memory-hard, so
    it resists GPU guessing better than PBKDF2 while costing a login about a tenth of the CPU
    of Django's 1,000,000 PBKDF2 rounds: a burst of logins on a two-core server no longer queues
    every page behind it. Django's own Argon2 defaults (100 MiB, 8 lanes) would hold 100 MiB per
    concurrent login."""

    algorithm = "argon2"  # same prefix: hashes stay readable by Django's Argon2 hasher
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
