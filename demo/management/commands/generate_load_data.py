import time

from django.core.management.base import BaseCommand, CommandError

from bench.generate import FIRST_PROVINCE_CODE, SCALES, generate, refresh_statistics
from communes.models import Province


class Command(BaseCommand):
    help = "Fill the database with synthetic load data for the benchmarks (see bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        if Province.objects.filter(code=str(FIRST_PROVINCE_CODE)).exists():
            raise CommandError("Load data is already there; use a fresh database.")
        started = time.perf_counter()
        counts = generate(scale, seed)
        refresh_statistics()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{scale}: {counts} in {elapsed:.1f} s")
