# The JobWise API image. Production talks to the MongoDB replica set and Redis
# named in docker-compose.yml; the embedded SecantusDB is for development only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY jobwise ./jobwise
RUN pip install . && useradd --create-home jobwise && mkdir -p /data && chown jobwise /data
USER jobwise
ENV JOBWISE_DATA_DIR=/data
EXPOSE 8000
CMD ["jobwise", "serve", "--host", "0.0.0.0", "--port", "8000"]
