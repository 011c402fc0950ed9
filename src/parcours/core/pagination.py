from django.core.paginator import Paginator

from parcours.core.params import int_param


def paginate(request, queryset, per_page: int = 50):
    """La page demandée et la chaîne de requête sans ``page`` (filtres conservés)."""
    page = Paginator(queryset, per_page).get_page(int_param(request, "page", 1, minimum=1))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
