"""The course's small teaching tables (教学案例), each written once: the exam-style ABC table, the steel
company's accounts, the funnel deals … Lesson notebooks and checks both import them from here, one
module per track (``classification``, ``satisfaction``, ``loyalty``, ``operations``). Each function
returns a fresh DataFrame, so a lesson that changes its copy changes nothing else."""
