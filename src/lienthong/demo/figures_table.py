"""The articles' figures as a text table, four lines each (see `figures.parse`):

    key | kind | area | period | value | upper | qualifier | unit | article
    indicator (Vietnamese)
    indicator (English)
    the words of the article it was read from, verbatim

RANK63 stands for "thứ hạng trên 63 tỉnh, thành phố".
"""

TABLE = """
dti_2022_rank | xep_hang | 31 | 2022 | 14 |  |  | RANK63 | 002
Xếp hạng chỉ số chuyển đổi số (DTI) cấp tỉnh năm 2022
Provincial DTI rank, 2022
năm 2022 Hải Phòng xếp thứ 14/63 tỉnh, thành phố
dti_rank_gain_2020_2022 | xep_hang | 31 | 2020–2022 | 7 |  |  | bậc | 002
Số bậc DTI tăng so với năm 2020
DTI places gained since 2020
tăng 7 bậc so với năm 2020
online_dossier_share | thuc_te | 31 | 2023 | 90 |  | hơn | % | 002
Tỷ lệ hồ sơ trực tuyến
Share of dossiers filed online
tỷ lệ hiện đạt hơn 90%
online_dossier_share_2021 | thuc_te | 31 | 2021 | 18 |  |  | % | 002
Tỷ lệ hồ sơ trực tuyến năm 2021
Share of dossiers filed online, 2021
(năm 2021 là 18%)
bts_total | thuc_te | 31 | 2023 | 2362 |  |  | trạm | 002
Tổng số trạm BTS
Base stations (BTS)
nâng tổng số trạm BTS trên địa bàn thành phố lên 2.362 trạm
bts_4g_new | thuc_te | 31 | 2023 | 41 |  |  | trạm | 002
Trạm BTS 4G mới đưa vào khai thác
New 4G base stations
đưa vào khai thác mới 41 trạm BTS công nghệ 4G
bts_5g_trial | thuc_te | 31 | 2023 | 7 |  |  | trạm | 002
Trạm BTS 5G thử nghiệm
5G trial base stations
có 7 trạm BTS công nghệ 5G được triển khai thử nghiệm
land_spatial_records | thuc_te | 31 | 2023 | 637000 |  | hơn | bản ghi | 002
Dữ liệu không gian trong CSDL đất đai
Spatial records in the land database
hơn 637 nghìn dữ liệu không gian
land_parcels | thuc_te | 31 | 2023 | 224000 |  | gần | thửa | 002
Thửa đất có thông tin thuộc tính
Land parcels with attributes
gần 224 nghìn thửa đất có thông tin thuộc tính
land_online_dossiers | thuc_te | 31 | 2022–2023 | 110000 |  | hơn | hồ sơ | 002
Hồ sơ đất đai trực tuyến trong gần 1 năm
Online land dossiers in nearly a year
hơn 110 nghìn hồ sơ trực tuyến
health_cards_cccd | thuc_te | 31 | 2023 | 958000 |  | gần | trường hợp | 002
Thẻ BHYT có hiệu lực đã xác thực CCCD
Valid health-insurance cards matched to citizen IDs
gần 958 nghìn trường hợp đồng bộ xác thực căn cước công dân
health_facilities_cccd | thuc_te | 31 | 2023 | 139 |  |  | cơ sở | 002
Cơ sở KCB BHYT tra cứu thẻ bằng CCCD
Facilities looking cards up by citizen ID
139 cơ sở khám chữa bệnh Bảo hiểm y tế thực hiện tra cứu
hospitals_his | thuc_te | 31 | 2023 | 100 |  |  | % | 002
Bệnh viện triển khai phần mềm quản lý bệnh viện
Hospitals with a hospital information system
100% các bệnh viện triển khai phần mềm quản lý bệnh viện
edu_institutions | thuc_te | 31 | 2023 | 800 |  | hơn | cơ sở | 002
Cơ sở giáo dục có mã định danh
Education institutions with identifiers
hơn 800 cơ sở giáo dục
edu_teachers | thuc_te | 31 | 2023 | 32000 |  |  | giáo viên | 002
Giáo viên có mã định danh
Teachers with identifiers
32.000 giáo viên
edu_pupils | thuc_te | 31 | 2023 | 521000 |  |  | học sinh | 002
Học sinh có mã định danh
Pupils with identifiers
521.000 học sinh có mã định danh riêng
planning_maps | thuc_te | 31 | 2023 | 5000 |  |  | bản đồ | 002
Bản đồ quy hoạch trong CSDL quy hoạch
Planning maps in the planning database
cơ sở dữ liệu quy hoạch với 5.000 bản đồ quy hoạch
traffic_camera_junctions | thuc_te | 31 | 2023 | 5 |  |  | nút giao | 002
Nút giao có camera xử lý phạt nguội
Junctions with enforcement cameras
xử lý phạt nguội tại 5 nút giao thông
population_records_verified | thuc_te | 31 | 2023 | 1700000 |  | hơn | thông tin | 002
Thông tin nhân khẩu đã xác thực (Đề án 06)
Population records verified (Project 06)
xác thực hơn 1,7 triệu thông tin nhân khẩu
adults_eid | thuc_te | 31 | 2023 | 100 |  |  | % | 002
Người trưởng thành có tài khoản định danh điện tử
Adults with an electronic identity account
100% số người dân trưởng thành có tài khoản định danh điện tử
mic_key_tasks_done | thuc_te | 31 | 2023 | 6 |  |  | trên 22 nhiệm vụ | 002
Nhiệm vụ trọng tâm Bộ TT&TT giao đã hoàn thành
Key ministry tasks completed
Hoàn thành 6/22 nhiệm vụ trọng tâm
einvoice_pilot_rank | xep_hang | 31 | 2023 | 3 |  |  | thứ hạng trên 6 | 002
Thứ hạng triển khai hoá đơn điện tử trong 6 địa phương thí điểm
E-invoice rollout rank among 6 pilots
triển khai hóa đơn điện tử đứng thứ 3 trên 6 tỉnh, thành phố
digital_economy_share_2021 | thuc_te | 31 | 2021 | 6 |  |  | % GRDP | 002
Tỷ trọng kinh tế số trong GRDP năm 2021 (ước tính sơ bộ)
Digital economy share of GRDP, 2021 (preliminary)
năm 2021, kinh tế số thành phố chiếm 6% GRDP
digital_economy_target_2022 | muc_tieu | 31 | 2022 | 10 |  |  | % GRDP | 002
Mục tiêu tỷ trọng kinh tế số năm 2022 (Kế hoạch 174)
Digital economy target for 2022
năm 2022 kinh tế số góp 10% GRDP
digital_economy_target_2025 | muc_tieu | 31 | 2025 | 25 |  |  | % GRDP | 002
Mục tiêu tỷ trọng kinh tế số năm 2025
Digital economy target for 2025
đến năm 2025 đóng góp 25%
sme_no_need | thuc_te | 31 | 2023-Q1 | 17.17 |  |  | % | 002
DNNVV chưa có nhu cầu hỗ trợ giải pháp chuyển đổi số (khảo sát VCCI)
SMEs with no need for digital-transformation support (VCCI)
17,17% doanh nghiệp nhỏ và vừa
sme_unaware | thuc_te | 31 | 2023-Q1 | 20.92 |  |  | % | 002
DNNVV không biết cơ chế, chính sách về chuyển đổi số (khảo sát VCCI)
SMEs unaware of the policies (VCCI)
20,92% doanh nghiệp không biết
sme_unsupported | thuc_te | 31 | 2023-Q1 | 47.28 |  |  | % | 002
DNNVV có nhu cầu hoặc đang triển khai nhưng chưa được hỗ trợ (khảo sát VCCI)
SMEs in need or transforming without support (VCCI)
47,28% doanh nghiệp đang có nhu cầu
sme_supported | thuc_te | 31 | 2023-Q1 | 14.64 |  |  | % | 002
DNNVV đang triển khai và được hỗ trợ (khảo sát VCCI)
SMEs transforming with support (VCCI)
14,64% doanh nghiệp đang triển khai chuyển đổi số nhận được hỗ trợ
smartphone_users | thuc_te | 31 | 2023 | 80 |  |  | % | 002
Người dân sử dụng smartphone
People using a smartphone
80% người dân sử dụng smartphone
tasks_2024 | ke_hoach | 31 | 2024 | 81 |  |  | nhiệm vụ | 003
Nhiệm vụ chuyển đổi số năm 2024
Digital-transformation tasks in 2024
thực hiện 81 nhiệm vụ cụ thể
budget_2024 | ke_hoach | 31 | 2024 | 400 |  | khoảng | tỷ đồng | 003
Kinh phí dự kiến cho chuyển đổi số năm 2024
Planned digital-transformation budget, 2024
kinh phí dự kiến thực hiện khoảng 400 tỷ đồng
warehouse_fields | thuc_te | 31 | 2024 | 2000 |  | gần | trường | 003
Trường thông tin trong kho dữ liệu dùng chung
Fields in the shared data warehouse
cập nhật gần 2.000 trường thông tin
warehouse_records | thuc_te | 31 | 2024 | 437000 |  | hơn | bản ghi | 003
Bản ghi trong kho dữ liệu dùng chung
Records in the shared data warehouse
hơn 437.000 bản ghi dữ liệu
services_integrated | thuc_te | 31 | 2024 | 1580 |  | gần | dịch vụ | 003
Dịch vụ công trực tuyến tích hợp Cổng quốc gia
Online services integrated with the national portal
tích hợp gần 1.580 dịch vụ công trực tuyến lên cổng quốc gia
services_integrated_share | thuc_te | 31 | 2024 | 81.51 |  |  | % | 003
Tỷ lệ dịch vụ công trực tuyến tích hợp Cổng quốc gia
Share of online services integrated with the national portal
đạt tỷ lệ 81,51%
whole_process_online_share | thuc_te | 31 | 2024 | 90 |  | trên | % | 003
Tỷ lệ hồ sơ trực tuyến toàn trình
Share of whole-process online dossiers
Tỷ lệ hồ sơ trực tuyến toàn trình đạt trên 90%
ports_with_tos | thuc_te | 31 | 2024 | 100 |  |  | % | 003
Cảng có hệ thống quản lý cảng (TOS)
Ports with a terminal operating system
100% số cảng tại Hải Phòng đã có hệ thống quản lý cảng TOS
digital_ports | thuc_te | 31 | 2024 | 22 |  |  | cảng | 003
Cảng ứng dụng nền tảng cảng biển số
Ports on a digital port platform
có 22 cảng (chiếm hơn 40% số cảng)
digital_ports_share | thuc_te | 31 | 2024 | 40 |  | hơn | % | 003
Tỷ lệ cảng ứng dụng nền tảng cảng biển số
Share of ports on a digital port platform
chiếm hơn 40% số cảng
digital_port_weeks | thuc_te | 31 | 2024 | 2 | 4 |  | tuần | 003
Thời gian triển khai nền tảng cảng biển số
Time to deploy a digital port platform
từ 2 - 4 tuần
digital_port_cost | thuc_te | 31 | 2024 | 10 | 20 |  | % | 003
Chi phí nền tảng so với sản phẩm nước ngoài
Platform cost relative to foreign products
chi phí bằng 10 - 20% so với các sản phẩm cùng loại từ nước ngoài
digital_economy_target_2030 | muc_tieu | 31 | 2030 | 40 |  |  | % GRDP | 003
Mục tiêu tỷ trọng kinh tế số năm 2030
Digital economy target for 2030
phấn đấu đến 2030 chiếm tỷ trọng 40% GRDP thành phố
forum_2024_visitors | su_kien | 31 | 2024 | 3000 |  | hơn | lượt | 003
Lượt tham quan triển lãm Diễn đàn 2024
Visitors to the 2024 forum's exhibition
thu hút hơn 3.000 lượt tham quan
socioeconomic_rank | xep_hang | 31 | 2022 | 5 |  |  | RANK63 | 000
Thứ hạng phát triển kinh tế - xã hội
Socio-economic development rank
đứng thứ 5 về phát triển kinh tế - xã hội
ict_index_2020_infrastructure | xep_hang | 31 | 2020 | 50 |  |  | RANK63 | 000
ICT Index 2020: hạ tầng kỹ thuật
ICT Index 2020: technical infrastructure
đứng thứ 50 về hạ tầng kỹ thuật
ict_index_2020_human | xep_hang | 31 | 2020 | 38 |  |  | RANK63 | 000
ICT Index 2020: hạ tầng nhân lực
ICT Index 2020: human resources
38 về hạ tầng nhân lực
ict_index_2020_applications | xep_hang | 31 | 2020 | 43 |  |  | RANK63 | 000
ICT Index 2020: ứng dụng CNTT
ICT Index 2020: IT applications
43 về ứng dụng CNTT
ict_index_2020_online_services | xep_hang | 31 | 2020 | 36 |  |  | RANK63 | 000
ICT Index 2020: dịch vụ công trực tuyến
ICT Index 2020: online public services
thứ 36 về Dịch vụ công trực tuyến
feature_phone_share | thuc_te | 31 | 2022 | 9.75 |  |  | % | 000
Tỷ lệ sử dụng điện thoại feature
Share using feature phones
tỷ lệ sử dụng điện thoại feature cao (9,75%)
conference_points | su_kien | 31 | 2022-04-21 | 327 |  |  | điểm cầu | 000
Điểm cầu hội nghị trực tuyến
Conference connection points
Hội nghị trực tuyến tới 327 điểm cầu
conference_delegates | su_kien | 31 | 2022-04-21 | 11300 |  | trên | đại biểu | 000
Đại biểu dự hội nghị
Conference delegates
trên 11.300 đại biểu tham dự
programme_groups | ke_hoach | 31 | 2022–2023 | 9 |  |  | nhóm | 000
Nhóm nhiệm vụ của Chương trình hành động 2022–2023
Task groups of the 2022–2023 programme
Chương trình hành động với 9 nhóm và 147 nhiệm vụ
programme_tasks | ke_hoach | 31 | 2022–2023 | 147 |  |  | nhiệm vụ | 000
Nhiệm vụ của Chương trình hành động 2022–2023
Tasks of the 2022–2023 programme
9 nhóm và 147 nhiệm vụ trong giai đoạn 2022 – 2023
tasks_2022 | ke_hoach | 31 | 2022 | 59 |  |  | nhiệm vụ | 000
Nhiệm vụ thực hiện năm 2022
Tasks for 2022
Năm 2022, Hải Phòng thực hiện 59 nhiệm vụ thuộc 4 nhóm
task_groups_2022 | ke_hoach | 31 | 2022 | 4 |  |  | nhóm | 000
Nhóm nhiệm vụ năm 2022
Task groups for 2022
59 nhiệm vụ thuộc 4 nhóm
mobifone_share | thuc_te | 31 | 2022 | 30 |  |  | % | 000
Thị phần MobiFone tại Hải Phòng
MobiFone's market share in Hải Phòng
nhà mạng này hiện đang chiếm 30% thị phần tại Hải Phòng
mobifone_smartphones | thuc_te | 31 | 2022 | 88 |  | trên | % | 000
Tỷ lệ smartphone trên thiết bị MobiFone
Smartphones among MobiFone devices
số thiết bị smartphone chiếm trên 88%
mobifone_feature_phones | thuc_te | 31 | 2022 | 55000 |  | khoảng | thiết bị | 000
Điện thoại feature còn lại (MobiFone)
Feature phones left (MobiFone)
chỉ còn khoảng 55.000 điện thoại feature
mobifone_5g_commitment | cam_ket | 31 | 2 năm sau cấp phép | 95 |  |  | % | 000
Cam kết phủ sóng 5G khu dân cư trong 2 năm sau cấp phép
5G coverage of residential areas within 2 years of licensing (commitment)
phủ sóng 5G tới 95% khu dân cư trong vòng 2 năm
vn_digital_economy_share | thuc_te | VN | 2022 | 11 | 12 |  | % GDP | 000
Tỷ trọng kinh tế số trong GDP cả nước
Digital economy share of national GDP
kinh tế số mới chỉ chiếm 11 - 12% GDP
vn_digital_economy_target_2025 | muc_tieu | VN | 2025 | 20 |  |  | % GDP | 000
Mục tiêu kinh tế số cả nước năm 2025
National digital economy target for 2025
kinh tế số đạt 20% GDP
vn_digital_economy_growth | muc_tieu | VN | 2022–2025 | 20 | 25 |  | %/năm | 000
Tốc độ tăng trưởng kinh tế số cần thiết
Digital economy growth needed
tốc độ phát triển là 20 - 25%
mic_platforms_june_2022 | ke_hoach | VN | 2022-06 | 35 |  |  | nền tảng | 000
Nền tảng số Bộ TT&TT xây dựng xong trước tháng 6
Ministry platforms due by June
xây dựng xong 35 nền tảng số
hd_dti_2021_rank | xep_hang | 30 | 2021 | 14 |  |  | RANK63 | 001
Hải Dương: xếp hạng DTI 2021
Hải Dương: DTI 2021 rank
tỉnh Hải Dương đang giữ vị trí thứ 14 cả nước
hd_dti_2021_value | thuc_te | 30 | 2021 | 0.4843 |  |  | chỉ số (0–1) | 001
Hải Dương: giá trị DTI 2021
Hải Dương: DTI 2021 value
với giá trị 0,4843
hcm_digital_economy_2021 | thuc_te | 79 | 2021 | 15.48 |  |  | % GRDP | 004
TP.HCM: tỷ trọng kinh tế số năm 2021
HCMC: digital economy share, 2021
đạt tỷ trọng 15,48%
hcm_digital_economy_2022 | thuc_te | 79 | 2022 | 18.66 |  | khoảng | % GRDP | 004
TP.HCM: tỷ trọng kinh tế số năm 2022
HCMC: digital economy share, 2022
đạt tỷ trọng khoảng 18,66%
hcm_digital_economy_growth_2022 | thuc_te | 79 | 2022 | 4 |  |  | % | 004
TP.HCM: kinh tế số tăng so với năm 2021
HCMC: digital economy growth over 2021
tăng 4% so với năm 2021
hcm_digital_economy_target_2025 | muc_tieu | 79 | 2025 | 25 |  |  | % GRDP | 004
TP.HCM: mục tiêu kinh tế số năm 2025
HCMC: digital economy target for 2025
phát triển KTS đến năm 2025 phải chiếm 25% GRDP
hcm_digital_economy_target_2030 | muc_tieu | 79 | 2030 | 40 |  |  | % GRDP | 004
TP.HCM: mục tiêu kinh tế số năm 2030
HCMC: digital economy target for 2030
đến 2030 phải chiếm 40% GRDP
national_platforms_announced | thuc_te | VN | 2023-08 | 8 |  |  | nền tảng | 004
Nền tảng số quốc gia đã công bố
National digital platforms announced
đã có 8 nền tảng số quốc gia được công bố
priority_sectors | ke_hoach | 31 | 2023 | 5 |  |  | lĩnh vực | 004
Lĩnh vực trọng tâm chuyển đổi số của Hải Phòng
Hải Phòng's priority sectors
Hải Phòng đang tập trung CĐS 5 lĩnh vực trọng tâm
digital_economy_spearheads | ke_hoach | 31 | 2023 | 3 |  |  | mũi nhọn | 004
Mũi nhọn phát triển kinh tế số của Hải Phòng
Hải Phòng's digital-economy spearheads
ba mũi nhọn thúc đẩy CĐS
"""
