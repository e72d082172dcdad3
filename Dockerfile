# The production image: gunicorn serves the app, whitenoise its static files. The same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

# PYTHONPATH: the source tree in /app, not the copy pip puts in site-packages, is what runs, so
# settings find templates/ and static/ beside config/. gunicorn reads WEB_CONCURRENCY.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    WEB_CONCURRENCY=3

WORKDIR /app
RUN useradd --create-home --uid 1000 keeper

# Dependencies first, in their own layer, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import subprocess, sys, tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
subprocess.check_call([sys.executable, '-m', 'pip', 'install', *deps])"

COPY . .
# The key only lets settings load for collectstatic; it never reaches a running container.
RUN pip install --no-deps . \
    && DEBUG=0 SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var \
    && chown -R keeper:keeper var

USER keeper
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
