# Messages about malformed input: JSON bodies, dates, query strings and uploads.

error-json-syntax = The body is not valid JSON ({ $detail }).
error-duplicate-field = This field is given more than once.
error-date-range = Use a date between { $min } and { $max }.
error-query = This value is not valid ({ $detail }).
error-multipart = Send the request as multipart/form-data with a file part.
error-method = This address does not accept this method.
error-request = The request could not be handled as sent.
