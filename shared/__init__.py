"""The common library of xianfeng: settings, auth, errors, messages, outbox, Celery, HTTP plumbing.

Nothing in here imports a service (an import-linter contract checks it); services find each other
only through HTTP and the Celery messages declared in :mod:`shared.messages`.
"""
