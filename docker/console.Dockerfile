# The consultation center's console: the action service's environment plus console/ and the
# Rasa rules and domain it reads to choose actions (see docs/console.md).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements/actions.in requirements/actions.lock requirements/
COPY docker/runtime-requirements.sh docker/
RUN sh docker/runtime-requirements.sh
COPY nlu nlu
COPY knowledge knowledge
COPY actions actions
COPY bot/__init__.py bot/launcher.py bot/domain.yml bot/
COPY bot/data/rules.yml bot/data/
COPY console console
RUN python -m knowledge.build --mentions-only \
 && useradd --system --uid 10001 --home-dir /app app && chown -R app /app
USER app
EXPOSE 8090
CMD ["python", "-m", "console", "--host", "0.0.0.0", "--port", "8090"]
