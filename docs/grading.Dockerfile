# A container for `crmlab grade` (see docs/grading.md). Build from the repository root:
#   docker build -f docs/grading.Dockerfile -t crmlab-grader .
FROM python:3.11-slim

# Chinese plot labels in the class report need a CJK font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# An editable install: crmlab finds the committed worlds in /opt/crmlab/datasets next to the package.
COPY pyproject.toml README.md /opt/crmlab/
COPY crmlab /opt/crmlab/crmlab
COPY datasets /opt/crmlab/datasets
RUN pip install --no-cache-dir -e /opt/crmlab

# Grade as an unprivileged user; HOME is only used for caches (each kernel gets its own temp HOME).
RUN useradd --create-home --uid 10001 grader
USER grader
ENV MPLCONFIGDIR=/tmp/matplotlib
WORKDIR /tmp

ENTRYPOINT ["crmlab", "grade"]
