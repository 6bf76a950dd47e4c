from ninja import NinjaAPI

api = NinjaAPI(title="Профнавигатор API", version="1", urls_namespace="api")
