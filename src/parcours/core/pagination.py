from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int = 50):
    """La page demandée et la chaîne de requête sans ``page`` (filtres conservés)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
