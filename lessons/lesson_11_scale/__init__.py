"""Lesson 11: scale — replicas behind a proxy, each one observable and safe to retry.

Lesson 09's app, plus what running several copies of it needs: health probes (and readiness
that answers 503 once SIGTERM arrives), request ids, JSON logs, Prometheus metrics, and
`Idempotency-Key` on creates, so a client can retry a POST that a dying replica never answered.
"""
