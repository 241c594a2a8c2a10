"""Personal data kept only as long as needed (issue 13): retention per series and event, export and erasure for
each person, the privacy notice. It stands on every area below it (it must find a person in all of them) and
nothing but the scheduler and the web edge import it.
"""
