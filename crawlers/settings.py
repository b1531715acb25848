"""Scrapy settings: polite defaults for the real web. The crawl runner overrides per run."""

BOT_NAME = "compare"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "compare-bot/0.1 (+https://github.com/compare/compare; AI tools index)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_AFTER_MAX = 60.0  # seconds; a longer Retry-After is recorded, not waited for
RETRY_BACKOFF_BASE = 1.0  # seconds, doubled per attempt
RETRY_BACKOFF_MAX = 30.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
LISTING_MAX_ITEMS = 200  # links followed per feed or sitemap when its source sets no max_items
DOWNLOAD_WARNSIZE = 1024 * 1024
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Requests per sliding window, per host: under the Hub's published anonymous limit of 500
# API requests per 5 minutes per IP. With HF_TOKEN set, the Hub's budget is HUB_TOKEN_BUDGET,
# under the 1,000 per 5 minutes of a free account.
HOST_BUDGETS = {"huggingface.co": [450, 300]}
HUB_TOKEN_BUDGET = [900, 300]

# Set by the crawl runner when crawling a snapshot: every request goes to 127.0.0.1.
MIRROR_URL = None
# Never connect to a private, loopback, link-local, multicast or reserved address (see
# crawlers/addresses.py); the hosts named here may be private anyway (run_crawl: the mirror's).
DNS_RESOLVER = "crawlers.addresses.GuardedResolver"
ALLOWED_ADDRESSES: list[str] = []

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.middlewares.LoopSafeRedirectMiddleware": 600,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.HubTokenMiddleware": 560,
    "crawlers.middlewares.HostBudgetMiddleware": 900,
    "crawlers.middlewares.MirrorMiddleware": 950,
}
EXTENSIONS = {"crawlers.extensions.ProgressFile": 500}
# A URL that keeps failing waits 1 h, 2 h, 4 h ... (at most a week) before it is asked again.
SPIDER_MIDDLEWARES = {"crawlers.middlewares.FailingUrlBackoff": 50}
FAILED_RETRY_BASE_S = 3600
FAILED_RETRY_MAX_S = 7 * 86400
PROGRESS_FILE = None  # set per spider by crawlers.run
ITEM_PIPELINES = {"crawlers.pipelines.RawPagePipeline": 300}
