"""Absolute links from a tool's results to the same records' pages and API answers, on the address
people open the service at (INNOMATCH_PUBLIC_BASE_URL)."""

from urllib.parse import quote, urlencode

from pydantic import BaseModel, Field


class Links(BaseModel):
    page: str | None = Field(
        description="The page for people (some ask for a sign-in); null where there is none."
    )
    api: str = Field(description="The same data from the REST API (OpenAPI at /docs).")


class LinkMaker:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _links(self, page: str | None, api: str) -> Links:
        return Links(page=self.base_url + page if page else None, api=self.base_url + api)

    def need(self, need_id: int) -> Links:
        return self._links(f"/needs/{need_id}", f"/api/v1/needs/{need_id}")

    def solution(self, solution_id: int) -> Links:
        return self._links(f"/solutions/{solution_id}", f"/api/v1/solutions/{solution_id}")

    def need_matches(self, need_id: int) -> Links:
        return self._links(f"/needs/{need_id}", f"/api/v1/needs/{need_id}/matches")

    def solution_demand(self, solution_id: int) -> Links:
        return self._links(f"/my/solutions/{solution_id}/demand", f"/api/v1/solutions/{solution_id}/demand")

    def municipality_gaps(self, number: str) -> Links:
        return self._links(f"/municipalities/{number}", f"/api/v1/municipalities/{number}/gaps")

    def buyer_group(self, key: str) -> Links:
        return self._links(f"/buyer-groups/{key}", f"/api/v1/buyer-groups/{key}")

    def kpi(self, code: str) -> Links:
        return self._links(f"/demand?{urlencode({'kpi': code})}", f"/api/v1/kpis/{quote(code)}")

    def saved_search(self, search_id: int) -> Links:
        return self._links(f"/alerts/{search_id}/edit", f"/api/v1/saved-searches/{search_id}")
