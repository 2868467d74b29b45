# Action service: Python 3.11, rasa-sdk, the knowledge base and the passages' mentions table, as
# an unprivileged user. Retrieval runs in the Rasa server's pipeline, so nothing here tokenizes or
# encodes text at run time; torch,
# transformers and sentence-transformers in requirements/actions.in exist for the tests of the
# optional sentence-transformers backend (nlu/embedding.py) and are left out here, so the image
# builds from public PyPI alone.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements/actions.in requirements/actions.lock requirements/
COPY docker/runtime-requirements.sh docker/
RUN sh docker/runtime-requirements.sh
COPY nlu nlu
COPY knowledge knowledge
COPY actions actions
RUN python -m knowledge.build --mentions-only \
 && useradd --system --uid 10001 --home-dir /app app && chown -R app /app
USER app
EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
