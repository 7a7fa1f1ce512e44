"""Scholarships for Lao students: students, enrollments, awards, payments and the yearly budget."""
