from django.conf import settings
from django.core.management.base import BaseCommand

from courses.demo import DEMO_INSTRUCTOR, DEMO_STUDENTS, load_demo


class Command(BaseCommand):
    help = "Create the demo class (an instructor and students with attempts). Only when DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("Demo class not created: DEBUG is off (it is for local development only).")
            return
        course = load_demo()
        self.stdout.write(
            f"Demo class ready at /courses/{course.slug}/\n"
            f"  Log in as the instructor: username {DEMO_INSTRUCTOR}, password {settings.DEMO_PASSWORD}\n"
            f"  or as a student ({', '.join(DEMO_STUDENTS)}) with the same password."
        )
