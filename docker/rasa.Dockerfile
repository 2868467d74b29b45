# Rasa server: Python 3.10, rasa 3.6.21 and the custom NLU components, as an unprivileged user.
# Everything comes from public PyPI (requirements/rasa.lock has no torch).
FROM python:3.10-slim
ENV RASA_TELEMETRY_ENABLED=false PYTHONDONTWRITEBYTECODE=1 TF_CPP_MIN_LOG_LEVEL=3
WORKDIR /app
COPY requirements/rasa.in requirements/rasa.lock requirements/
RUN pip install --no-cache-dir -r requirements/rasa.in -c requirements/rasa.lock
COPY config.yml ./
COPY bot bot
COPY nlu nlu
COPY knowledge knowledge
# The pipeline's passage retriever reads the index that knowledge.build writes (build/index).
RUN python -m knowledge.build \
 && rasa train --config config.yml --domain bot/domain.yml --data bot/data --out models \
      --fixed-model-name hokkaido \
 && useradd --system --uid 10001 --home-dir /app app && chown -R app /app
USER app
EXPOSE 5005
# bot.server: API off unless --enable-api (then $RASA_API_TOKEN required), channels whose
# variables are unset dropped, bodies capped (docs/operations.md).
ENTRYPOINT ["python", "-m", "bot.server"]
CMD ["run", "--model", "models/hokkaido.tar.gz", "--port", "5005", "--interface", "0.0.0.0", \
     "--endpoints", "bot/endpoints.production.yml", "--credentials", "bot/credentials.yml"]
