# 关于格式错误输入的消息：JSON 请求体、日期、查询参数和上传。

error-json-syntax = 请求内容不是有效的 JSON（{ $detail }）。
error-duplicate-field = 此字段出现了不止一次。
error-date-range = 请使用 { $min } 至 { $max } 之间的日期。
error-query = 此取值无效（{ $detail }）。
error-multipart = 请以 multipart/form-data 格式发送，并附带文件部分。
error-method = 此地址不接受该请求方法。
error-request = 无法按所发送的内容处理此请求。
