# Rasa server: Python 3.10, rasa 3.6.21 and the custom NLU components.
FROM python:3.10-slim
WORKDIR /app
COPY requirements/rasa.in requirements/rasa.lock requirements/
RUN pip install --no-cache-dir -r requirements/rasa.in -c requirements/rasa.lock
COPY config.yml ./
COPY bot bot
COPY nlu nlu
COPY knowledge knowledge
RUN RASA_TELEMETRY_ENABLED=false rasa train --config config.yml --domain bot/domain.yml \
      --data bot/data --out models --fixed-model-name hokkaido
ENV RASA_TELEMETRY_ENABLED=false
EXPOSE 5005
CMD ["python", "-m", "bot.server", "run", "--model", "models/hokkaido.tar.gz", "--endpoints", "bot/endpoints.production.yml", \
     "--credentials", "bot/credentials.yml", "--port", "5005"]
