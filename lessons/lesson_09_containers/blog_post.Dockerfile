# The two-stage Dockerfile of the blog post "My Journey Learning FastAPI: Scripting to Scale",
# reconstructed from the post. Lesson 09 takes it apart; the repository's Dockerfile replaces it.
# Stage 1: build
FROM python:3.11-slim as builder
WORKDIR /app
RUN apt-get update && apt-get install -y gcc libpq-dev
COPY requirements.txt .
RUN pip install --user -r requirements.txt

# Stage 2: run
FROM python:3.11-slim
WORKDIR /app
COPY --from=builder /root/.local /root/.local
COPY . .
ENV PATH=/root/.local/bin:$PATH
CMD uvicorn main:app --host 0.0.0.0 --port 8000
