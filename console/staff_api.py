"""The console's client of the Rasa server's staff endpoints (bot/channels/staff.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict

import requests


class StaffApiError(Exception):
    """The Rasa server did not do what was asked; `str()` says why, for the staff member."""


@dataclass(frozen=True)
class StaffApi:
    rasa_url: str
    token: str
    timeout: float

    def _post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        try:
            response = requests.post(
                f"{self.rasa_url}/webhooks/staff/{path}", json=body, timeout=self.timeout,
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except requests.RequestException as error:
            raise StaffApiError(f"The Rasa server could not be reached ({error}).") from error
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200:
            reason = answer.get("error") if isinstance(answer, dict) else None
            raise StaffApiError(f"HTTP {response.status_code}: {reason or response.text[:300]}")
        return answer

    def parse(self, text: str) -> Dict[str, Any]:
        """The NLU parse data of `text`, from the model that serves users."""
        return self._post("parse", {"text": text})

    def deliver(self, conversation_id: str, text: str, staff: str, delivery_id: str) -> Dict[str, Any]:
        """Send a staff reply through the conversation's channel; `{"channel", "status"}`."""
        return self._post("deliver", {"conversation_id": conversation_id, "text": text,
                                      "staff": staff, "delivery_id": delivery_id})
