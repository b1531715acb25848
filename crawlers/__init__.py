"""The Scrapy project: spiders fetch raw pages and follow links; nothing else happens here."""
