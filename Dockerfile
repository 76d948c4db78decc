# Production image: gunicorn serves the app, WhiteNoise the static files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && useradd --create-home app
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "vcs_support.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
