# Production image: gunicorn serves the app, WhiteNoise the static files.
FROM python:3.11-slim
# The runtime dependencies live in /opt/venv, outside /app, so `COPY . .`
# cannot shadow them; uv must use the image's Python, never download one.
# Their bytecode is compiled at build time: at run time nothing is written
# (PYTHONDONTWRITEBYTECODE), and every worker would compile Django afresh.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /app
# uv itself, pinned by hash, then exactly what uv.lock names: the runtime
# dependencies only (no dev extra). The project is not a package
# (`[tool.uv] package = false`), so nothing of /app is installed.
COPY scripts/uv-requirements.txt scripts/
RUN pip install --no-cache-dir --require-hashes --no-deps -r scripts/uv-requirements.txt
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project && useradd --create-home app
COPY . .
# DEBUG=false, so the hashed files and the manifest production reads are built.
RUN bash scripts/collect_static.sh
USER app
EXPOSE 8000
CMD ["gunicorn", "vcs_support.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
