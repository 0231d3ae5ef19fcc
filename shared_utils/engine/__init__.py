"""The workbook's machinery: the checks engine, the build, the runner, the grader, the report."""
