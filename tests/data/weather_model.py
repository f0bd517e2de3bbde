"""A second, small connector declared outside the toolkit: proves the model is not SmartDialog-shaped.
API key auth would be typical here; this one has none, a query-string API and a polling-free action set."""

from connector.model import (Connector, Contact, Dropdown, Operation, Ref, Response, array_of, integer,
                             object_schema, path, query, string)

ListCities = Operation(
    id="ListCities", method="GET", path="/countries/{country}/cities", visibility="internal",
    summary="List cities", description="Lists the cities of a country.",
    parameters=(path("country", label="Country", description="Two-letter country code."),),
    responses=(Response(status="200", description="Cities.", schema=array_of(object_schema(
        string("code", label="Code", description="City code."), string("name", label="Name", description="City name.")))),),
)

GetForecast = Operation(
    id="GetForecast", method="GET", path="/forecast/{city}",
    summary="Get forecast", description="Gets the weather forecast for a city.",
    parameters=(
        query("country", label="Country", description="Two-letter country code.", required=True, default="FI",
              enum=("FI", "SE", "NO")),
        path("city", label="City", description="The city to forecast.",
             dropdown=Dropdown(operation=ListCities, value="code", title="name", args={"country": Ref("country")})),
        query("days", label="Days", description="How many days ahead.", type="integer", format="int32", default=3),
    ),
    responses=(Response(status="200", description="The forecast.", schema=object_schema(
        string("city", label="City", description="The city."),
        integer("temperature", label="Temperature", description="Degrees Celsius."),
    )),),
)

connector = Connector(
    title="Tiny Weather",
    description="Weather forecasts for Nordic cities, a small example connector for the toolkit's tests.",
    contact=Contact(name="Example", email="dev@example.com", url="https://example.com"),
    website="https://example.com", privacy_policy="https://example.com/privacy", categories=("Data",),
    brand_color="#0A7C59", publisher="Example Oy", stack_owner="Example Oy",
    host="weather.example.com", base_path="/v2",
    operations=(GetForecast, ListCities),
)
