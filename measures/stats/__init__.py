"""Statistical methods on plain values: no Django, no database.

- ``poisson``: the exact test of two Poisson counts (or rates), and the
  intervals of a count and of a rate;
- ``survey``: the test of the difference of two survey estimates from their
  95% intervals;
- ``xmr``: XmR control charts with Making Data Count's rules;
- ``funnel``: funnel plot limits for rates, with Spiegelhalter's adjustment
  for over-dispersion;
- ``verdict``: each method's status, change, p-value and reasons;
- ``sentences``: the words for a verdict, formatted once.

``distributions`` holds the special functions they share.
"""
