"""Django's model backend, with the signed-in user read by SQL compiled once per process
(`writing_guide.compiled`): every signed-in request reads its user, and the ORM took longer to build
that lookup than to run it."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import router

from writing_guide.compiled import SAMPLE_ID, CompiledQuery

UserModel = get_user_model()
_FIELDS = [field.attname for field in UserModel._meta.concrete_fields]
_user_row = CompiledQuery(lambda pk: UserModel._default_manager.filter(pk=pk).values_list(*_FIELDS), SAMPLE_ID)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            pk = UserModel._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(UserModel)
        rows = _user_row.rows(pk, using=alias)
        if not rows:
            return None
        user = UserModel.from_db(alias, _FIELDS, rows[0])
        return user if self.user_can_authenticate(user) else None
