# Action service: Python 3.11, rasa-sdk, the knowledge base and its index.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/actions.in requirements/actions.lock requirements/
RUN pip install --no-cache-dir -r requirements/actions.in -c requirements/actions.lock
COPY nlu nlu
COPY knowledge knowledge
COPY actions actions
RUN python -m knowledge.build
EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
