"""Every agenda and minutes API route is in the OpenAPI document, so the schema-driven run in tests/api covers it."""

OWN_MODULES = ("eventhub.agenda.api", "eventhub.minutes.api")


def test_every_agenda_and_minutes_route_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item if method != "parameters"}
    routes = {
        (method, "/" + rule.rule.removeprefix("/api/v1/").replace("<int:event_id>", "{event_id}").replace("<slug>", "{slug}"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and app.view_functions[rule.endpoint].__module__ in OWN_MODULES
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert len(routes) == 6 and routes <= documented, routes - documented
