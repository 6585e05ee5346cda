# English short dates stay ISO (2026-11-23): unambiguous for readers everywhere, where
# Django's own "m/d/Y" is read day-first in most of the countries Allele serves. Every
# other language keeps Django's formats (fr, es, pt-br "23/11/2026", ar with its marks).
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
