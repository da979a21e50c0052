# The production image: web (gunicorn + WhiteNoise), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

# Pango for WeasyPrint, harfbuzz-subset (without it every PDF takes ~10x longer), CJK fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
        fonts-arphic-uming fonts-arphic-ukai \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 JITUAN_VAR_DIR=/app/var
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e .
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --create-home jituan && mkdir -p var && chown -R jituan var
USER jituan
EXPOSE 8000
CMD ["gunicorn", "jituan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
