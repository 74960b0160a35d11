# Production image: gunicorn serving Django/Wagtail; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext libpq5 \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 institute
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
COPY institute ./institute
COPY cms ./cms
COPY courses ./courses
COPY exams ./exams
COPY trainees ./trainees
RUN pip install -c constraints.txt .

COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/media /app/var && chown -R institute /app/media /app/var

USER institute
EXPOSE 8000
# Workers, threads (gthread) and keep-alive come from gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "institute.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
