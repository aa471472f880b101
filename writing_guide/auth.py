"""Django's model backend, with the signed-in user read by SQL compiled once per process
(`writing_guide.compiled`): every signed-in request reads its user, and the ORM took longer to build
that lookup than to run it."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import router

from writing_guide.compiled import SAMPLE_ID, CompiledObjectsQuery

UserModel = get_user_model()
_user = CompiledObjectsQuery(
    UserModel,
    [field.attname for field in UserModel._meta.concrete_fields],
    lambda pk: UserModel._default_manager.filter(pk=pk),
    SAMPLE_ID,
)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            pk = UserModel._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(UserModel)
        users = _user.objects(pk, using=alias)
        return users[0] if users and self.user_can_authenticate(users[0]) else None
