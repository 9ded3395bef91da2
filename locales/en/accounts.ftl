error-rate-limited = Too many requests. Slow down and try again in a moment.
error-token-lifetime = Choose a number of days from 1 to { $max }, or “never”.
error-token-never-admin = Only an administrator may create a token that never expires.
field-token-expires = Expires
help-token-expires = A token stops working after this. Service accounts can get one that never expires from an administrator.
token-expires-days = { $days ->
    [one] In 1 day
   *[other] In { $days } days
}
token-expires-never = Never
token-expired = Expired
col-expires = Expires
user-tokens-title = API tokens
user-tokens-intro = Tokens this user created. Revoking one stops every script that uses it at once.
empty-user-tokens = This user has no API tokens.
