"""What `gongkai serve` hands the server (granian) and what reaches Django from it (issue 20).

granian builds each request's WSGI environ on top of the process environment: a request must never
carry the deployment's variables (a database password, the secret key) into `request.META`, where an
error report or a log line could show them, and no variable may stand for a header the visitor did
not send. The live server is exercised by test_serve.py."""

from __future__ import annotations

import io
import os

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.management.base import CommandError

from gongkai.core.management.commands.serve import listen_arguments, server_environment
from gongkai.core.serving import WithoutProcessEnvironment

DEPLOYMENT = {"DATABASE_URL": "postgres://gongkai:s3cret-pw@db.internal/gongkai", "SECRET_KEY": "k" * 50,
              "CACHE_URL": "redis://:cache-pw@redis.internal:6379/0"}  # fmt: skip


def granian_environ(**request: str) -> dict:
    """What granian passes the application: the process environment, the request's data on top."""
    scope = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
             "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.7",
             "HTTP_HOST": "gongkai.example.gov.cn", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
             **request}  # fmt: skip
    return dict(os.environ) | {"GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "Granian",
                                "wsgi.version": (1, 0), "wsgi.errors": io.StringIO()} | scope  # fmt: skip


def test_a_request_reaching_django_carries_none_of_the_server_variables(monkeypatch):
    for name, value in DEPLOYMENT.items():
        monkeypatch.setenv(name, value)
    seen = {}

    def django(environ, start_response):
        seen.update(WSGIRequest(environ).META)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    app = WithoutProcessEnvironment(django)  # built in the worker, after the settings read the variables
    assert app(granian_environ(HTTP_COOKIE="csrftoken=x"), lambda status, headers: None) == [b"ok"]
    assert not set(DEPLOYMENT) & set(seen)
    assert not [value for value in seen.values() if isinstance(value, str) and "pw" in value]
    assert not set(os.environ) & set(seen)  # PATH, HOME ... neither
    # the request's own data is all there
    assert seen["HTTP_HOST"] == "gongkai.example.gov.cn" and seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["HTTP_COOKIE"] == "csrftoken=x" and seen["REQUEST_METHOD"] == "GET"
    assert seen["wsgi.url_scheme"] == "http" and "wsgi.input" in seen


def test_the_server_starts_without_variables_posing_as_request_data(monkeypatch):
    for name, value in DEPLOYMENT.items():
        monkeypatch.setenv(name, value)
    # e.g. a container that sets HTTP_HOST for its own purposes: it must not become every request's Host
    monkeypatch.setenv("HTTP_HOST", "wrong.example")
    monkeypatch.setenv("HTTP_X_FORWARDED_FOR", "198.51.100.1")
    monkeypatch.setenv("REMOTE_ADDR", "198.51.100.2")
    env = server_environment()
    assert not {"HTTP_HOST", "HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"} & set(env)
    assert {name: env[name] for name in DEPLOYMENT} == DEPLOYMENT  # the server itself still needs them


@pytest.mark.parametrize(
    ("bind", "arguments"),
    [("127.0.0.1:8000", ["--host", "127.0.0.1", "--port", "8000"]),
     ("0.0.0.0:80", ["--host", "0.0.0.0", "--port", "80"]),
     ("[::1]:8080", ["--host", "::1", "--port", "8080"]),
     ("unix:/run/gongkai.sock", ["--uds", "/run/gongkai.sock"])],
)  # fmt: skip
def test_bind_addresses_as_gunicorn_took_them(bind, arguments):
    assert listen_arguments(bind) == arguments


@pytest.mark.parametrize("bind", ["localhost", "127.0.0.1:http", ""])
def test_a_bind_address_without_a_port_is_refused_with_a_message(bind):
    with pytest.raises(CommandError, match="主机:端口"):
        listen_arguments(bind)
