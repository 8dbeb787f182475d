# Production image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
# Noto fonts: every Vietnamese glyph in PDFs. Pango/HarfBuzz: WeasyPrint. gettext: translations. procps: pgrep for the beat health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 gettext procps \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
# collectstatic needs settings to import; these build-time values are never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore=.venv

RUN useradd --system --uid 1000 portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
